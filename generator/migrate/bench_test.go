package migrate

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// exampleApp is an application of five databases, each with the schema
// versions its migrations went through, the last being the current one.
var exampleApp = map[string][]string{
	"framework": {
		`CREATE TABLE modules (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
		`CREATE TABLE modules (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1, version TEXT NOT NULL DEFAULT '0');
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE logs (id INTEGER PRIMARY KEY, module_id INTEGER REFERENCES modules (id) ON DELETE CASCADE, level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')), message TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX logs_created ON logs (created_at);`,
		`CREATE TABLE modules (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1, version TEXT NOT NULL DEFAULT '0');
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE logs (id INTEGER PRIMARY KEY, module_id INTEGER REFERENCES modules (id) ON DELETE CASCADE, level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')), message TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX logs_created ON logs (created_at);
CREATE INDEX logs_module_level ON logs (module_id, level);
CREATE VIEW errors AS SELECT l.id, m.name AS module, l.message FROM logs l JOIN modules m ON m.id = l.module_id WHERE l.level = 'error';`,
	},
	"accounts": {
		`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT);
CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, expires_at TEXT NOT NULL);`,
		`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'active');
CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, expires_at TEXT NOT NULL);
CREATE TABLE roles (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE user_roles (user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, role_id INTEGER NOT NULL REFERENCES roles (id), PRIMARY KEY (user_id, role_id)) WITHOUT ROWID;`,
		`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'active', updated_at TEXT);
CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, expires_at TEXT NOT NULL);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE roles (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE user_roles (user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, role_id INTEGER NOT NULL REFERENCES roles (id), PRIMARY KEY (user_id, role_id)) WITHOUT ROWID;
CREATE VIEW active_users AS SELECT id, email, name FROM users WHERE status = 'active';
CREATE TRIGGER users_touch AFTER UPDATE OF email, name, status ON users BEGIN UPDATE users SET updated_at = CURRENT_TIMESTAMP WHERE id = new.id; END;`,
	},
	"billing": {
		`CREATE TABLE customers (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, name TEXT NOT NULL);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), total_cents INTEGER NOT NULL, issued_at TEXT NOT NULL);`,
		`CREATE TABLE customers (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, name TEXT NOT NULL, currency TEXT NOT NULL DEFAULT 'EUR');
CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), total_cents INTEGER NOT NULL CHECK (total_cents >= 0), issued_at TEXT NOT NULL, paid_at TEXT);
CREATE TABLE invoice_lines (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE, description TEXT NOT NULL, amount_cents INTEGER NOT NULL);
CREATE INDEX invoices_customer ON invoices (customer_id, issued_at);
CREATE VIEW unpaid AS SELECT id, customer_id, total_cents FROM invoices WHERE paid_at IS NULL;`,
	},
	"catalog": {
		`CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL, price_cents INTEGER NOT NULL);`,
		`CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL, price_cents INTEGER NOT NULL, stock INTEGER NOT NULL DEFAULT 0);
CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL, parent_id INTEGER REFERENCES categories (id));
CREATE TABLE product_categories (product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE, category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE, PRIMARY KEY (product_id, category_id));`,
		`CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL, price_cents INTEGER NOT NULL, stock INTEGER NOT NULL DEFAULT 0);
CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL, parent_id INTEGER REFERENCES categories (id));
CREATE TABLE product_categories (product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE, category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE, PRIMARY KEY (product_id, category_id));
CREATE INDEX products_name ON products (name);
CREATE TABLE stock_log (product_id INTEGER NOT NULL, delta INTEGER NOT NULL, at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TRIGGER stock_changed AFTER UPDATE OF stock ON products BEGIN INSERT INTO stock_log (product_id, delta) VALUES (new.id, new.stock - old.stock); END;`,
	},
	"support": {
		`CREATE TABLE tickets (id INTEGER PRIMARY KEY, subject TEXT NOT NULL, body TEXT, status TEXT NOT NULL DEFAULT 'open');
CREATE TABLE comments (id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE, body TEXT NOT NULL);`,
		`CREATE TABLE tickets (id INTEGER PRIMARY KEY, subject TEXT NOT NULL, body TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'open', priority INTEGER NOT NULL DEFAULT 3);
CREATE TABLE comments (id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE, body TEXT NOT NULL, author TEXT);
CREATE INDEX tickets_open ON tickets (priority) WHERE status = 'open';
CREATE VIEW open_tickets AS SELECT id, subject, priority FROM tickets WHERE status = 'open' ORDER BY priority;`,
	},
}

// BenchmarkVerify measures dbgen check's migration part on exampleApp:
// Verify of every database, one after the other, as the command runs it.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	root := b.TempDir()
	type database struct{ dir, ddl string }
	var dbs []database
	for name, versions := range exampleApp {
		dir := filepath.Join(root, name, "migrations")
		now := clock()
		for i, ddl := range versions {
			plan(b, dir, fmt.Sprintf("v%d", i+1), ddl, now, false)
		}
		dbs = append(dbs, database{dir, versions[len(versions)-1]})
	}
	for b.Loop() {
		for _, db := range dbs {
			findings, err := Verify(ctx, db.dir, db.ddl)
			if err != nil || len(findings) > 0 {
				b.Fatalf("Verify(%s) = %v, %v", db.dir, findings, err)
			}
		}
	}
}
