package nl.beeldzorg.audit;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * The embedded database's guard of the audit trail: any update or delete is refused, as
 * PostgreSQL's trigger does in production.
 */
public class AppendOnlyTrigger implements Trigger {

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		throw new SQLException("audit_event is append-only: " + ((newRow == null) ? "DELETE" : "UPDATE") + " refused",
				"42501");
	}

}
