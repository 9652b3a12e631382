-- Each sign-in attempt reserves its rows before the password is checked (so
-- that concurrent attempts cannot all pass the limit), under a random token
-- by which a successful attempt takes them back.
alter table failed_sign_in add column attempt text;
