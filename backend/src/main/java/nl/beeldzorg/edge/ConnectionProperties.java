package nl.beeldzorg.edge;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits that keep one client from holding the server: slow requests are cut off, and one
 * user's live event streams are capped.
 *
 * @param requestHeaderTimeout how long a connection may take to deliver a request's line
 * and headers (from connecting, or from the end of the previous response on a kept-alive
 * connection); then the server answers 408 and closes, however slowly the bytes keep
 * coming
 * @param requestReadTimeout the longest pause between two reads of a request body
 * @param requestTimeout the longest a whole request body may take to arrive
 * @param maxEventStreamsPerUser open {@code GET /api/v1/events} streams per user on one
 * node; one more closes that user's oldest (which gets a last {@code stream.closed} event
 * with code {@code events.too-many-streams})
 */
@ConfigurationProperties("beeldzorg.connections")
@Validated
public record ConnectionProperties(@NotNull Duration requestHeaderTimeout, @NotNull Duration requestReadTimeout,
		@NotNull Duration requestTimeout, @Min(1) @Max(100) int maxEventStreamsPerUser) {

	/**
	 * @return whether every timeout is positive
	 */
	@AssertTrue(
			message = "beeldzorg.connections.request-header-timeout, request-read-timeout and request-timeout must be positive")
	public boolean isEveryTimeoutPositive() {
		return positive(this.requestHeaderTimeout) && positive(this.requestReadTimeout)
				&& positive(this.requestTimeout);
	}

	private static boolean positive(@Nullable Duration duration) {
		return duration == null || (!duration.isNegative() && !duration.isZero());
	}

}
