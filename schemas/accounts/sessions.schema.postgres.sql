-- The PostgreSQL text of what sessions.schema.sql has and dbgen does not
-- derive: trigger users_delete_sessions, a PL/pgSQL function and the
-- trigger that runs it. A user no longer active loses its sessions.
CREATE FUNCTION users_delete_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM sessions WHERE user_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER users_delete_sessions AFTER UPDATE OF status ON users
FOR EACH ROW WHEN (NEW.status <> 'active') EXECUTE FUNCTION users_delete_sessions();
