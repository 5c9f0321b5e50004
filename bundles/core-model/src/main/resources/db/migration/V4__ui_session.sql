-- UI login sessions in the database, so that every node knows every session (SCALEOUT.md §2.3),
-- and the failed-login counters that throttle password guessing across nodes.
--
-- ui_session: one row per password login. The cookie's token is stored only as its SHA-256 (hex),
-- so a copy of the table logs nobody in. roles: comma-separated. last_seen is refreshed at most
-- once a minute per session; sessions idle longer than ui.sessionTimeoutMinutes are deleted.
create table ui_session (
    token_hash char(64) not null primary key,
    user_name varchar(255) not null,
    roles varchar(255) not null,
    csrf_token varchar(64) not null,
    created datetime(3) not null,
    last_seen datetime(3) not null
)${table_options};
create index ix_ui_session_last_seen on ui_session (last_seen);

-- login_failure: failed logins per key ('user:<lower-case name>' or 'address:<ip>') in a fixed
-- window that starts at the first failure.
create table login_failure (
    throttle_key varchar(255) not null primary key,
    failures int not null,
    window_start datetime(3) not null
)${table_options};
create index ix_login_failure_window_start on login_failure (window_start);
