package runtime

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncruces/go-sqlite3"
)

func TestErrorJSON(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{
			&Error{Code: CodeConstraintViolation, Module: "accounts", Message: "unique constraint failed on users.email",
				Details: map[string]any{"kind": "unique", "columns": []string{"email"}}, Err: errors.New("SELECT secret")},
			`{"error":{"code":"CONSTRAINT_VIOLATION","message":"unique constraint failed on users.email","module":"accounts","details":{"columns":["email"],"kind":"unique"}}}`,
		},
		{
			ErrNotFound,
			`{"error":{"code":"RECORD_NOT_FOUND","message":"record not found","module":"","details":{}}}`,
		},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.err)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
		var back Error
		if err := json.Unmarshal(got, &back); err != nil || back.Code != tt.err.Code || back.Module != tt.err.Module {
			t.Errorf("round trip: %+v, %v", back, err)
		}
	}
	// Marshalled through an interface or inside another value, too.
	var err error = &Error{Code: CodeTableNotFound, Message: "no table x"}
	got, _ := json.Marshal(map[string]any{"e": err})
	if want := `{"e":{"error":{"code":"TABLE_NOT_FOUND","message":"no table x","module":"","details":{}}}}`; string(got) != want {
		t.Errorf("nested: %s", got)
	}
	if err := json.Unmarshal([]byte(`{"code":"X"}`), new(Error)); err == nil {
		t.Error("unmarshal without envelope succeeded")
	}
}

func TestErrorIsAs(t *testing.T) {
	cause := fmt.Errorf("driver: %w", sqlite3.BUSY)
	err := fmt.Errorf("create user: %w", &Error{Code: CodeDatabaseLocked, Module: "accounts", Message: "locked", Err: cause})
	if !errors.Is(err, ErrLocked) || errors.Is(err, ErrNotFound) {
		t.Error("errors.Is by code failed")
	}
	if !errors.Is(err, sqlite3.BUSY) {
		t.Error("cause not reachable")
	}
	var e *Error
	if !errors.As(err, &e) || e.Module != "accounts" {
		t.Error("errors.As failed")
	}
	if got, want := e.Error(), "accounts: locked: driver: sqlite3: database is locked"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestTranslate(t *testing.T) {
	user := errors.New("mine")
	tests := []struct {
		in   error
		code Code // "" means returned unchanged
	}{
		{nil, ""},
		{user, ""},
		{context.Canceled, ""},
		{ErrNotFound, ""},
		{sql.ErrNoRows, CodeRecordNotFound},
		{fmt.Errorf("x: %w", sql.ErrNoRows), CodeRecordNotFound},
		{sqlite3.BUSY, CodeDatabaseLocked},
		{sqlite3.BUSY_SNAPSHOT, CodeDatabaseLocked},
		{sqlite3.LOCKED, CodeDatabaseLocked},
		{sqlite3.CONSTRAINT_CHECK, CodeConstraintViolation},
		{sqlite3.READONLY, CodeReadOnly},
		{sqlite3.CANTOPEN, CodeDatabaseNotFound},
		{sqlite3.IOERR, CodeInternal},
	}
	for _, tt := range tests {
		got := Translate("m", tt.in)
		if tt.code == "" {
			if got != tt.in {
				t.Errorf("Translate(%v) = %v, want it unchanged", tt.in, got)
			}
			continue
		}
		var e *Error
		if !errors.As(got, &e) || e.Code != tt.code || e.Module != "m" || !errors.Is(got, tt.in) {
			t.Errorf("Translate(%v) = %v, want %s wrapping it", tt.in, got, tt.code)
		}
	}
}

// constraintMessage fakes a driver error with SQLite's own wording.
type constraintMessage struct {
	code sqlite3.ExtendedErrorCode
	msg  string
}

func (c constraintMessage) Error() string                           { return "sqlite3: constraint failed: " + c.msg }
func (c constraintMessage) Unwrap() error                           { return c.code }
func (c constraintMessage) As(target any) bool                      { return c.code.As(target) }
func (c constraintMessage) Is(target error) bool                    { return c.code.Is(target) }
func (c constraintMessage) ExtendedCode() sqlite3.ExtendedErrorCode { return c.code }

func TestConstraintError(t *testing.T) {
	tests := []struct {
		code    sqlite3.ExtendedErrorCode
		msg     string
		details map[string]any
	}{
		{sqlite3.CONSTRAINT_UNIQUE, "UNIQUE constraint failed: users.email",
			map[string]any{"kind": "unique", "table": "users", "columns": []string{"email"}}},
		{sqlite3.CONSTRAINT_UNIQUE, "UNIQUE constraint failed: members.org_id, members.user_id",
			map[string]any{"kind": "unique", "table": "members", "columns": []string{"org_id", "user_id"}}},
		{sqlite3.CONSTRAINT_UNIQUE, "UNIQUE constraint failed: index 'users_lower_email'",
			map[string]any{"kind": "unique", "columns": []string{"index 'users_lower_email'"}}},
		{sqlite3.CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: users.id",
			map[string]any{"kind": "primary key", "table": "users", "columns": []string{"id"}}},
		{sqlite3.CONSTRAINT_NOTNULL, "NOT NULL constraint failed: users.name",
			map[string]any{"kind": "not null", "table": "users", "columns": []string{"name"}}},
		{sqlite3.CONSTRAINT_CHECK, "CHECK constraint failed: age_positive",
			map[string]any{"kind": "check", "constraint": "age_positive"}},
		{sqlite3.CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed",
			map[string]any{"kind": "foreign key"}},
		{sqlite3.CONSTRAINT_DATATYPE, "cannot store TEXT value in INTEGER column users.age",
			map[string]any{"kind": "datatype", "table": "users", "columns": []string{"age"}}},
		{sqlite3.CONSTRAINT_TRIGGER, "no deletes allowed",
			map[string]any{"kind": "trigger"}},
		{sqlite3.ExtendedErrorCode(sqlite3.CONSTRAINT), "UNIQUE constraint failed: t.c",
			map[string]any{"kind": "unique", "table": "t", "columns": []string{"c"}}},
	}
	for _, tt := range tests {
		e := constraintError("m", constraintMessage{tt.code, tt.msg})
		if e.Code != CodeConstraintViolation {
			t.Errorf("%s: code %s", tt.msg, e.Code)
		}
		if diff := cmp.Diff(tt.details, e.Details); diff != "" {
			t.Errorf("%s: details (-want +got):\n%s", tt.msg, diff)
		}
	}
}
