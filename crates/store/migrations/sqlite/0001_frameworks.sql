-- A framework at one published version. The document column keeps the whole tree
-- exactly as published (JSON), so last year's version can always be shown as it was;
-- framework_item repeats its items as rows so that reflections can reference them.
create table framework (
    id integer primary key,
    key text not null,
    version text not null,
    title text not null,
    document text not null,
    published_at integer not null,
    unique (key, version)
);

create table framework_item (
    id integer primary key,
    framework_id integer not null references framework (id),
    code text not null,
    -- null for a top-level item (a domain)
    parent_code text,
    kind text not null,
    -- depth-first position in the document, for ordering without parsing codes
    position integer not null,
    title text not null,
    unique (framework_id, code)
);
