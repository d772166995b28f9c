package db.migration;

import java.sql.ResultSet;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * One audit hash chain per consult (or per written IMOZ question; per institution, or one
 * for the region, for records about no single one), so appends to different consults no
 * longer queue on one lock: a join storm admitted 74 joins a second on H2 with the single
 * chain. Each record keeps a global {@code seq} (now from a sequence, so taking a number
 * locks nothing) and gets its {@code chain} and its position in it ({@code chain_seq});
 * {@code audit_chain} holds each chain's end, locked by appends to that chain only.
 * Records from before this migration keep {@code chain} NULL and stay one chain that ends
 * where {@code audit_head} says (the event table is append-only: they are never
 * rewritten). A Java migration only because the sequence must start after the existing
 * records, which PostgreSQL and H2 spell differently in SQL.
 */
public class V15__audit_chains extends BaseJavaMigration {

	@Override
	public void migrate(Context context) throws Exception {
		try (Statement statement = context.getConnection().createStatement()) {
			statement.execute("ALTER TABLE audit_event ADD COLUMN chain VARCHAR(80)");
			statement.execute("ALTER TABLE audit_event ADD COLUMN chain_seq BIGINT");
			statement.execute("CREATE UNIQUE INDEX audit_event_by_chain ON audit_event (chain, chain_seq)");
			statement.execute("CREATE TABLE audit_chain (chain VARCHAR(80) PRIMARY KEY, chain_seq BIGINT NOT NULL,"
					+ " event_seq BIGINT NOT NULL, hash CHAR(64) NOT NULL)");
			long last = 0;
			try (ResultSet head = statement.executeQuery("SELECT GREATEST((SELECT seq FROM audit_head WHERE id = 1),"
					+ " COALESCE((SELECT MAX(seq) FROM audit_event), 0))")) {
				if (head.next()) {
					last = head.getLong(1);
				}
			}
			statement.execute("CREATE SEQUENCE audit_event_seq START WITH " + (last + 1));
		}
	}

}
