package nl.beeldzorg.system;

import java.net.ConnectException;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures the API answers as {@code 503 service.database-unavailable}: the
 * database's reachability, never the request's own fault nor another service's.
 */
class DatabaseOutagesTests {

	@Test
	void theDatabaseAwayIsAnOutageHoweverDeepItIsWrapped() {
		assertThat(DatabaseOutages.isOutage(new DataAccessResourceFailureException("Failed to obtain R2DBC Connection",
				new R2dbcNonTransientResourceException("Cannot connect to localhost/127.0.0.1:5432"))))
			.isTrue();
		assertThat(DatabaseOutages.isOutage(new CannotCreateTransactionException("Could not open R2DBC Connection")))
			.isTrue();
		assertThat(DatabaseOutages.isOutage(new IllegalStateException("wrapped",
				new R2dbcTimeoutException("Connection acquisition timed out after 10000ms"))))
			.isTrue();
	}

	@Test
	void aBadRequestOrAnotherServiceIsNot() {
		assertThat(DatabaseOutages.isOutage(null)).isFalse();
		assertThat(DatabaseOutages.isOutage(new ApiException(ErrorCode.CONSULT_NOT_FOUND, "no such consult")))
			.isFalse();
		assertThat(DatabaseOutages.isOutage(new DataIntegrityViolationException("duplicate key",
				new R2dbcDataIntegrityViolationException("23505"))))
			.isFalse();
		assertThat(DatabaseOutages.isOutage(new R2dbcBadGrammarException("42P01"))).isFalse();
		assertThat(DatabaseOutages.isOutage(new IllegalStateException("push", new ConnectException("refused"))))
			.as("a push service that refuses is not the database")
			.isFalse();
	}

}
