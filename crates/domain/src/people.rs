//! People and the organisation they belong to: identifiers, names, emails, roles.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A person, whatever their roles.
    PersonId
);
id_type!(
    /// A trust: the organisation that runs leadkit for its schools.
    TrustId
);
id_type!(
    /// A school within a trust.
    SchoolId
);

/// What a person may do, each granted within a school or across the trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Leader,
    Coach,
    SchoolLead,
    TrustLead,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Leader,
        Role::Coach,
        Role::SchoolLead,
        Role::TrustLead,
        Role::Administrator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Coach => "coach",
            Role::SchoolLead => "school_lead",
            Role::TrustLead => "trust_lead",
            Role::Administrator => "administrator",
        }
    }

    /// How senior the role is, for grouping people by their most senior role in
    /// insight: trust lead 4, school lead 3, coach 2, leader 1; administration
    /// alone is no grouping (0).
    pub fn seniority(self) -> i64 {
        match self {
            Role::TrustLead => 4,
            Role::SchoolLead => 3,
            Role::Coach => 2,
            Role::Leader => 1,
            Role::Administrator => 0,
        }
    }

    /// The role whose seniority is `rank`, if any role has it.
    pub fn of_seniority(rank: i64) -> Option<Role> {
        Self::ALL
            .into_iter()
            .find(|role| role.seniority() == rank && rank > 0)
    }

    /// How a group of people whose most senior role has `rank` is headed in
    /// insight: "School leads"; "Others" for no role that groups.
    pub fn group_label(rank: i64) -> &'static str {
        match Self::of_seniority(rank) {
            Some(Role::TrustLead) => "Trust leads",
            Some(Role::SchoolLead) => "School leads",
            Some(Role::Coach) => "Coaches and line managers",
            Some(Role::Leader) => "Leaders",
            Some(Role::Administrator) | None => "Others",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Leader => "Leader",
            Role::Coach => "Coach or line manager",
            Role::SchoolLead => "School lead",
            Role::TrustLead => "Trust lead",
            Role::Administrator => "Administrator",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == raw)
            .ok_or_else(|| ValidationError::new("role", format!("\"{raw}\" is not a role")))
    }
}

/// A role held by a person, scoped to one school or (when `school` is `None`) the trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: Role,
    pub school: Option<SchoolId>,
}

impl Role {
    /// Whether the role is held across the whole trust (trust lead,
    /// administrator) rather than in one school.
    pub fn is_trust_wide(self) -> bool {
        matches!(self, Role::TrustLead | Role::Administrator)
    }

    /// Whether someone holding the role must belong to a school.
    pub fn needs_school(self) -> bool {
        self == Role::SchoolLead
    }
}

/// Who may be given which role, coach or line manager. One set of rules for
/// every form and command that assigns them.
pub mod assignment {
    use super::{PersonId, Role, RoleGrant, SchoolId};
    use crate::ValidationError;

    /// The roles `roles` as held by someone at `school`: school roles at that
    /// school, trust-wide roles across the trust. Refuses no role at all, and a
    /// school role for someone with no school.
    pub fn grants(
        roles: &[Role],
        school: Option<SchoolId>,
    ) -> Result<Vec<RoleGrant>, ValidationError> {
        if roles.is_empty() {
            return Err(ValidationError::new("roles", "Choose at least one role"));
        }
        if school.is_none() {
            if let Some(role) = roles.iter().find(|role| role.needs_school()) {
                return Err(ValidationError::new(
                    "school",
                    format!("A {} needs a school", role.label().to_lowercase()),
                ));
            }
        }
        Ok(roles
            .iter()
            .map(|&role| RoleGrant {
                role,
                school: if role.is_trust_wide() { None } else { school },
            })
            .collect())
    }

    /// Refuses making anyone their own coach or line manager (`what`), and an
    /// administrator (`actor`) making themselves someone's: a coach or line
    /// manager may read what a person shares with them, so nobody grants
    /// themselves that; another administrator records it.
    pub fn relationship(
        actor: PersonId,
        person: PersonId,
        other: PersonId,
        what: &str,
    ) -> Result<(), ValidationError> {
        if person == other {
            return Err(ValidationError::new(
                "relationship",
                format!("A person cannot be their own {what}"),
            ));
        }
        if other == actor {
            return Err(ValidationError::new(
                "relationship",
                format!(
                    "You cannot make yourself someone’s {what}: a {what} can read what they share. Ask another administrator to record it"
                ),
            ));
        }
        Ok(())
    }

    /// Refuses an administrator's change that takes away their own
    /// administrator role (another administrator must do it).
    pub fn keeps_own_administration(
        actor: PersonId,
        person: PersonId,
        roles: &[RoleGrant],
    ) -> Result<(), ValidationError> {
        if actor == person && !roles.iter().any(|grant| grant.role == Role::Administrator) {
            return Err(ValidationError::new(
                "roles",
                "You cannot remove your own administrator role; ask another administrator",
            ));
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn school_roles_take_the_school_and_trust_roles_do_not() {
            let school = Some(SchoolId(7));
            let given = grants(&[Role::Leader, Role::TrustLead], school).unwrap();
            assert_eq!(given[0].school, school);
            assert_eq!(given[1].school, None);
            assert_eq!(
                grants(&[], school).unwrap_err().message,
                "Choose at least one role"
            );
            assert_eq!(
                grants(&[Role::SchoolLead], None).unwrap_err().message,
                "A school lead needs a school"
            );
            assert!(grants(&[Role::Leader], None).is_ok());
        }

        #[test]
        fn nobody_is_their_own_coach_nor_drops_their_own_administration() {
            let admin = PersonId(9);
            assert!(relationship(admin, PersonId(1), PersonId(1), "coach").is_err());
            assert!(relationship(admin, PersonId(1), PersonId(2), "coach").is_ok());
            let refused = relationship(admin, PersonId(1), admin, "coach").unwrap_err();
            assert!(
                refused.message.starts_with("You cannot make yourself"),
                "{refused:?}"
            );
            let leader = [RoleGrant {
                role: Role::Leader,
                school: None,
            }];
            assert!(keeps_own_administration(PersonId(1), PersonId(1), &leader).is_err());
            assert!(keeps_own_administration(PersonId(1), PersonId(2), &leader).is_ok());
        }
    }
}

/// An email address, trimmed and lowercased so that one person has one address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Accepts `local@domain` with no spaces, at most 254 characters.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let email = raw.trim().to_lowercase();
        let well_formed = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            }
            None => false,
        };
        if email.len() > 254
            || !well_formed
            || email.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(ValidationError::new(
                "email",
                "Enter an email address like name@school.org.uk",
            ));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// A person's name as they want it shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(ValidationError::new("name", "Enter your name"));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "name",
                format!("A name can be at most {} characters", Self::MAX_CHARS),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "name",
                "A name cannot contain control characters",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(value: PersonName) -> Self {
        value.0
    }
}

/// A new password, checked before it is hashed: at least 12 characters, and not
/// one that is common or easy to guess (zxcvbn's offline estimate, which knows
/// the commonest passwords, names, words, dates and keyboard patterns, and is
/// told the person's own name and email address).
///
/// Its `Debug` never shows the text.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 200;

    /// Checks a password with no personal words to compare it with.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::parse_for(raw, &[])
    }

    /// Checks a password for a person: `personal` are their name, email
    /// address and the like, which a password must not lean on.
    pub fn parse_for(raw: &str, personal: &[&str]) -> Result<Self, ValidationError> {
        let length = raw.chars().count();
        if length < Self::MIN_CHARS {
            return Err(ValidationError::new(
                "password",
                format!(
                    "Choose a password of at least {} characters",
                    Self::MIN_CHARS
                ),
            ));
        }
        if length > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "password",
                format!("A password can be at most {} characters", Self::MAX_CHARS),
            ));
        }
        // Parts of an email address and name count as words someone could guess.
        let words: Vec<String> = personal
            .iter()
            .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
            .filter(|word| word.chars().count() >= 3)
            .chain(personal.iter().copied())
            .map(str::to_lowercase)
            .collect();
        let score = u8::from(
            zxcvbn::zxcvbn(raw, &words.iter().map(String::as_str).collect::<Vec<_>>()).score(),
        );
        // One that leans on the person's own name or address must be stronger.
        let lowered = raw.to_lowercase();
        let leans = words
            .iter()
            .any(|word| word.chars().count() >= 4 && lowered.contains(word.as_str()));
        if score < 3 || (leans && score < 4) {
            return Err(ValidationError::new(
                "password",
                "That password is too easy to guess: it is a common password, or close to one, or to your name or email address. Try three or four words that do not go together",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// A person as the rest of the product sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub trust: TrustId,
    pub school: Option<SchoolId>,
    pub name: PersonName,
    pub email: Email,
    /// What they do, in their school's words: "Deputy Headteacher".
    pub job_title: String,
    pub roles: Vec<RoleGrant>,
}

impl Person {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|grant| grant.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Jo.Bloggs@Example.ORG ").unwrap().as_str(),
            "jo.bloggs@example.org"
        );
    }

    #[test]
    fn an_email_without_a_domain_is_refused() {
        for bad in [
            "",
            "jo",
            "jo@",
            "@example.org",
            "jo@example",
            "jo bloggs@example.org",
            "a@b@c.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn a_blank_or_very_long_name_is_refused() {
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"a".repeat(121)).is_err());
        assert_eq!(
            PersonName::parse(" Amara Okafor ").unwrap().as_str(),
            "Amara Okafor"
        );
    }

    #[test]
    fn a_short_password_is_refused_and_never_printed() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse("elevenchars").is_err(), "12 at least");
        let password = NewPassword::parse("correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn common_and_personal_passwords_are_refused_with_a_reason() {
        for common in [
            "password1234",
            "qwertyuiop123",
            "123456789012",
            "iloveyou2024!",
        ] {
            let refused = NewPassword::parse(common).unwrap_err();
            assert!(refused.message.contains("too easy to guess"), "{common}");
        }
        let personal = ["Amara Okafor", "amara.okafor@oakwood.example"];
        assert!(NewPassword::parse_for("AmaraOkafor2026", &personal).is_err());
        assert!(NewPassword::parse_for("Amara.Okafor!", &personal).is_err());
        assert!(NewPassword::parse_for("lantern orbit pebble cider", &personal).is_ok());
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()).unwrap(), role);
        }
        assert!(Role::parse("superuser").is_err());
    }
}

/// How long a trust's sessions last: they end after `idle_minutes` without a
/// request, and `absolute_hours` after sign-in whatever happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionLimits {
    pub idle_minutes: i64,
    pub absolute_hours: i64,
}

impl Default for SessionLimits {
    /// An hour idle, and a teacher's day in all.
    fn default() -> Self {
        Self {
            idle_minutes: 60,
            absolute_hours: 12,
        }
    }
}

impl SessionLimits {
    pub const IDLE_MINUTES: std::ops::RangeInclusive<i64> = 5..=480;
    pub const ABSOLUTE_HOURS: std::ops::RangeInclusive<i64> = 1..=72;

    /// Reads the two numbers as an administrator types them; every problem is
    /// reported beside its field.
    pub fn parse(idle: &str, absolute: &str) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let number = |raw: &str, range: &std::ops::RangeInclusive<i64>| {
            raw.trim().parse::<i64>().ok().filter(|n| range.contains(n))
        };
        let idle_minutes = number(idle, &Self::IDLE_MINUTES);
        if idle_minutes.is_none() {
            errors.push(ValidationError::new(
                "idle_minutes",
                format!(
                    "Give a number of minutes from {} to {}",
                    Self::IDLE_MINUTES.start(),
                    Self::IDLE_MINUTES.end()
                ),
            ));
        }
        let absolute_hours = number(absolute, &Self::ABSOLUTE_HOURS);
        if absolute_hours.is_none() {
            errors.push(ValidationError::new(
                "absolute_hours",
                format!(
                    "Give a number of hours from {} to {}",
                    Self::ABSOLUTE_HOURS.start(),
                    Self::ABSOLUTE_HOURS.end()
                ),
            ));
        }
        match (idle_minutes, absolute_hours) {
            (Some(idle_minutes), Some(absolute_hours)) if idle_minutes <= absolute_hours * 60 => {
                Ok(Self {
                    idle_minutes,
                    absolute_hours,
                })
            }
            (Some(_), Some(_)) => Err(vec![ValidationError::new(
                "idle_minutes",
                "The idle limit cannot be longer than a session lasts in all",
            )]),
            _ => Err(errors),
        }
    }

    pub fn idle(self) -> time::Duration {
        time::Duration::minutes(self.idle_minutes)
    }

    pub fn absolute(self) -> time::Duration {
        time::Duration::hours(self.absolute_hours)
    }
}

#[cfg(test)]
mod session_limit_tests {
    use super::SessionLimits;

    #[test]
    fn limits_default_to_an_hour_idle_and_twelve_hours_and_bad_numbers_say_why() {
        assert_eq!(
            SessionLimits::default(),
            SessionLimits::parse("60", " 12 ").unwrap()
        );
        let errors = SessionLimits::parse("2", "lots").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["idle_minutes", "absolute_hours"]);
        let errors = SessionLimits::parse("480", "1").unwrap_err();
        assert!(errors[0].message.contains("cannot be longer"));
    }
}
