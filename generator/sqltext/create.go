package sqltext

import (
	"fmt"
	"strings"
)

// ObjectKind is the kind of schema object a CREATE statement makes.
type ObjectKind string

const (
	Table        ObjectKind = "table"
	VirtualTable ObjectKind = "virtual table"
	Index        ObjectKind = "index"
	View         ObjectKind = "view"
	Trigger      ObjectKind = "trigger"
)

// Create describes a CREATE statement.
type Create struct {
	Kind        ObjectKind
	Name        string
	NameToken   Token
	On          string // the table of an index or trigger
	Temp        bool
	IfNotExists bool
	Schema      string // an explicit schema qualifier, "" when none
	AsSelect    bool   // CREATE TABLE ... AS SELECT: its columns come from the query
}

// NotDDLError is returned by ParseCreate for statements that are not a
// CREATE TABLE, INDEX, VIEW or TRIGGER.
type NotDDLError struct {
	Verb string // the statement's first keyword(s), upper-cased
}

func (e *NotDDLError) Error() string { return e.Verb + " is not a CREATE statement" }

// ParseCreate reads the head of a CREATE statement: what it creates and the
// name. It does not validate the rest; SQLite does.
func ParseCreate(s Statement) (*Create, error) {
	toks := s.Tokens
	if len(toks) == 0 || !toks[0].Is("CREATE") {
		verb := ""
		if len(toks) > 0 {
			verb = strings.ToUpper(toks[0].Text)
			if len(toks) > 1 && toks[1].Kind == Word && (verb == "DROP" || verb == "ALTER" || verb == "INSERT" || verb == "DELETE") {
				verb += " " + strings.ToUpper(toks[1].Text)
			}
		}
		return nil, &NotDDLError{Verb: verb}
	}
	c := &Create{}
	i := 1
	next := func() (Token, bool) {
		if i >= len(toks) {
			return Token{}, false
		}
		i++
		return toks[i-1], true
	}
	t, _ := next()
	if t.Is("TEMP") || t.Is("TEMPORARY") {
		c.Temp = true
		t, _ = next()
	}
	switch {
	case t.Is("TABLE"):
		c.Kind = Table
	case t.Is("VIEW"):
		c.Kind = View
	case t.Is("TRIGGER"):
		c.Kind = Trigger
	case t.Is("INDEX"):
		c.Kind = Index
	case t.Is("UNIQUE"):
		if t, _ = next(); !t.Is("INDEX") {
			return nil, fmt.Errorf("expected INDEX after CREATE UNIQUE")
		}
		c.Kind = Index
	case t.Is("VIRTUAL"):
		if t, _ = next(); !t.Is("TABLE") {
			return nil, fmt.Errorf("expected TABLE after CREATE VIRTUAL")
		}
		c.Kind = VirtualTable
	default:
		return nil, &NotDDLError{Verb: "CREATE " + strings.ToUpper(t.Text)}
	}
	if i+2 < len(toks) && toks[i].Is("IF") && toks[i+1].Is("NOT") && toks[i+2].Is("EXISTS") {
		c.IfNotExists = true
		i += 3
	}
	name, ok := next()
	if !ok || (name.Kind != Word && name.Kind != Quoted && name.Kind != String) {
		return nil, fmt.Errorf("expected a name after CREATE %s", strings.ToUpper(string(c.Kind)))
	}
	if i+1 < len(toks) && toks[i].Text == "." {
		c.Schema = Name(name)
		i++
		name, _ = next()
	}
	c.Name, c.NameToken = Name(name), name
	if c.Kind == Table && i < len(toks) && toks[i].Is("AS") {
		c.AsSelect = true
	}
	if c.Kind == Index || c.Kind == Trigger {
		for ; i < len(toks); i++ {
			if toks[i].Is("ON") && i+1 < len(toks) {
				on := toks[i+1]
				if i+3 < len(toks) && toks[i+2].Text == "." {
					on = toks[i+3]
				}
				c.On = Name(on)
				break
			}
		}
	}
	return c, nil
}

// FindWord returns the first token after offset from that is the keyword or
// identifier name (case-insensitive), or false.
func FindWord(toks []Token, name string, from int) (Token, bool) {
	for _, t := range toks {
		if t.Offset >= from && (t.Kind == Word || t.Kind == Quoted) && strings.EqualFold(Name(t), name) {
			return t, true
		}
	}
	return Token{}, false
}
