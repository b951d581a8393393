-- DATABASE_NAME: kinds
-- Type mapping, nullability, generated columns, reserved words and Go keywords.
CREATE TABLE "order" (
    id        INTEGER PRIMARY KEY,
    "type"    TEXT NOT NULL,
    func      TEXT,
    "select"  INTEGER,
    flag      BOOLEAN NOT NULL DEFAULT 0,
    maybe     BOOLEAN,
    at        DATETIME NOT NULL,
    seen      TIMESTAMP,
    payload   BLOB,
    doc       JSON NOT NULL DEFAULT '{}',
    extra     JSON,
    price     REAL NOT NULL,
    ratio     DOUBLE,
    amount    NUMERIC,
    total     REAL GENERATED ALWAYS AS (price * 2) STORED
) ;

CREATE TABLE strict_things (
    id    INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    data  BLOB,
    n     INT NOT NULL,
    x     ANY
) STRICT;
