package nl.beeldzorg.system;

import java.time.Duration;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure of the database's reachability (PostgreSQL down, restarting, out of
 * connections, unreachable) from a failure of the request itself. The API answers the
 * former with {@code 503 service.database-unavailable} and a {@code Retry-After}, never a
 * {@code 500}: the request did not fail, the database did, and the same request (with the
 * same {@code Idempotency-Key}) succeeds once it is back.
 */
public final class DatabaseOutages {

	/**
	 * What {@code Retry-After} says: the pool tries to connect again at every request.
	 */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private DatabaseOutages() {
	}

	/**
	 * @param failure a failure, with its causes
	 * @return whether it (or one of its causes) says the database could not be reached,
	 * lost the connection, or gave none in time (as R2DBC and Spring's translation of it
	 * say so; a refused connect of anything else, a push service say, is not one)
	 */
	public static boolean isOutage(@Nullable Throwable failure) {
		Throwable cause = failure;
		for (int depth = 0; cause != null && depth < 16; depth++) {
			if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
					|| cause instanceof TransientDataAccessResourceException
					|| cause instanceof R2dbcNonTransientResourceException
					|| cause instanceof R2dbcTransientResourceException || cause instanceof R2dbcTimeoutException) {
				return true;
			}
			cause = cause.getCause();
		}
		return false;
	}

}
