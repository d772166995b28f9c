package nl.beeldzorg.media;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/** The SQL of media truth: party summaries, samples, and the consult's media stamps. */
@Repository
class MediaRepository {

	private final DatabaseClient db;

	MediaRepository(DatabaseClient db) {
		this.db = db;
	}

	/** A party's summary, with when it first joined the room (null when never). */
	Mono<Party> party(UUID consultId, String userId) {
		return this.db.sql("""
				SELECT m.*, p.first_joined_at FROM media_party m
				LEFT JOIN consult_participant p ON p.consult_id = m.consult_id AND p.user_id = m.user_id
				WHERE m.consult_id = :c AND m.user_id = :u
				""").bind("c", consultId).bind("u", userId).map(MediaRepository::party).one();
	}

	/** When a user first joined the consult's room; empty when never. */
	Mono<Instant> firstJoined(UUID consultId, String userId) {
		return this.db.sql("SELECT first_joined_at FROM consult_participant WHERE consult_id = :c AND user_id = :u")
			.bind("c", consultId)
			.bind("u", userId)
			.map((row) -> java.util.Optional.ofNullable(instant(row, "first_joined_at")))
			.one()
			.flatMap(Mono::justOrEmpty);
	}

	Flux<Party> parties(UUID consultId) {
		return this.db.sql("""
				SELECT m.*, p.first_joined_at FROM media_party m
				LEFT JOIN consult_participant p ON p.consult_id = m.consult_id AND p.user_id = m.user_id
				WHERE m.consult_id = :c ORDER BY m.first_reported_at
				""").bind("c", consultId).map(MediaRepository::party).all();
	}

	Flux<SignalMessage.MediaStats> samples(UUID consultId, String userId) {
		return this.db.sql("SELECT * FROM media_sample WHERE consult_id = :c AND user_id = :u ORDER BY seq")
			.bind("c", consultId)
			.bind("u", userId)
			.map((row) -> new SignalMessage.MediaStats(row.get("rtt_ms", Double.class),
					row.get("loss_pct", Double.class), row.get("kbps_in", Double.class),
					row.get("kbps_out", Double.class), row.get("width", Integer.class),
					row.get("height", Integer.class), row.get("relay", Boolean.class)))
			.all();
	}

	Mono<Void> save(Party p, boolean isNew) {
		String sql = isNew
				? """
						INSERT INTO media_party (consult_id, user_id, first_reported_at, first_connected_at, millis_to_media,
						  state, state_at, dropped, reconnections, disconnections, failures, samples, last_rtt_ms, last_loss_pct,
						  last_kbps_in, last_kbps_out, last_width, last_height, relay_used)
						VALUES (:c, :u, :first, :connected, :ttm, :state, :at, :dropped, :reconnections, :disconnections,
						  :failures, :samples, :rtt, :loss, :in, :out, :width, :height, :relay)
						"""
				: """
						UPDATE media_party SET first_reported_at = :first, first_connected_at = :connected,
						  millis_to_media = :ttm, state = :state, state_at = :at, dropped = :dropped,
						  reconnections = :reconnections, disconnections = :disconnections, failures = :failures,
						  samples = :samples, last_rtt_ms = :rtt, last_loss_pct = :loss, last_kbps_in = :in,
						  last_kbps_out = :out, last_width = :width, last_height = :height, relay_used = :relay
						WHERE consult_id = :c AND user_id = :u
						""";
		return this.db.sql(sql)
			.bind("c", p.consultId)
			.bind("u", p.userId)
			.bind("first", time(p.firstReportedAt))
			.bind("connected", nullable(time(p.firstConnectedAt), R2dbcType.TIMESTAMP_WITH_TIME_ZONE))
			.bind("ttm", nullable(p.millisToMedia, R2dbcType.INTEGER))
			.bind("state", p.state)
			.bind("at", time(p.stateAt))
			.bind("dropped", p.dropped)
			.bind("reconnections", p.reconnections)
			.bind("disconnections", p.disconnections)
			.bind("failures", p.failures)
			.bind("samples", p.samples)
			.bind("rtt", nullable(p.last.rttMs(), R2dbcType.DOUBLE))
			.bind("loss", nullable(p.last.lossPct(), R2dbcType.DOUBLE))
			.bind("in", nullable(p.last.kbpsIn(), R2dbcType.DOUBLE))
			.bind("out", nullable(p.last.kbpsOut(), R2dbcType.DOUBLE))
			.bind("width", nullable(p.last.width(), R2dbcType.INTEGER))
			.bind("height", nullable(p.last.height(), R2dbcType.INTEGER))
			.bind("relay", p.relayUsed)
			.then();
	}

	Mono<Void> insertSample(UUID consultId, String userId, int seq, Instant at, SignalMessage.MediaStats s) {
		return this.db.sql("""
				INSERT INTO media_sample (consult_id, user_id, seq, sampled_at, rtt_ms, loss_pct, kbps_in, kbps_out,
				  width, height, relay) VALUES (:c, :u, :seq, :at, :rtt, :loss, :in, :out, :width, :height, :relay)
				""")
			.bind("c", consultId)
			.bind("u", userId)
			.bind("seq", seq)
			.bind("at", time(at))
			.bind("rtt", nullable(s.rttMs(), R2dbcType.DOUBLE))
			.bind("loss", nullable(s.lossPct(), R2dbcType.DOUBLE))
			.bind("in", nullable(s.kbpsIn(), R2dbcType.DOUBLE))
			.bind("out", nullable(s.kbpsOut(), R2dbcType.DOUBLE))
			.bind("width", nullable(s.width(), R2dbcType.INTEGER))
			.bind("height", nullable(s.height(), R2dbcType.INTEGER))
			.bind("relay", nullable(s.relay(), R2dbcType.BOOLEAN))
			.then();
	}

	/**
	 * Stamps the consult's {@code connected_at} (API.md v1.1: the first moment a party
	 * reported media connected) with the milliseconds since accept, once, while it is
	 * active.
	 * @return those milliseconds the first time, else empty
	 */
	Mono<Integer> markConnected(UUID consultId, Instant at) {
		return this.db
			.sql("SELECT accepted_at FROM consult WHERE id = :id AND connected_at IS NULL AND state = 'ACTIVE'"
					+ " AND accepted_at IS NOT NULL")
			.bind("id", consultId)
			.map((row) -> instant(row, "accepted_at"))
			.one()
			.flatMap((accepted) -> {
				int millis = (int) Math.max(0, Duration.between(accepted, at).toMillis());
				return this.db
					.sql("UPDATE consult SET connected_at = :at, connect_millis = :millis"
							+ " WHERE id = :id AND connected_at IS NULL AND state = 'ACTIVE'")
					.bind("at", time(at))
					.bind("millis", millis)
					.bind("id", consultId)
					.fetch()
					.rowsUpdated()
					.filter((rows) -> rows == 1)
					.map((rows) -> millis);
			});
	}

	/** Marks that the consult's media went through a relay; true the first time. */
	Mono<Boolean> markRelay(UUID consultId) {
		return this.db
			.sql("UPDATE consult SET media_relay = TRUE WHERE id = :id AND connected_at IS NOT NULL"
					+ " AND (media_relay IS NULL OR media_relay = FALSE)")
			.bind("id", consultId)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	private static Party party(Readable row) {
		Party p = new Party(row.get("consult_id", UUID.class), row.get("user_id", String.class),
				instant(row, "first_reported_at"));
		p.firstJoinedAt = instant(row, "first_joined_at");
		p.firstConnectedAt = instant(row, "first_connected_at");
		p.millisToMedia = row.get("millis_to_media", Integer.class);
		p.state = row.get("state", String.class);
		p.stateAt = instant(row, "state_at");
		p.dropped = Boolean.TRUE.equals(row.get("dropped", Boolean.class));
		p.reconnections = number(row, "reconnections");
		p.disconnections = number(row, "disconnections");
		p.failures = number(row, "failures");
		p.samples = number(row, "samples");
		p.last = new SignalMessage.MediaStats(row.get("last_rtt_ms", Double.class),
				row.get("last_loss_pct", Double.class), row.get("last_kbps_in", Double.class),
				row.get("last_kbps_out", Double.class), row.get("last_width", Integer.class),
				row.get("last_height", Integer.class), null);
		p.relayUsed = Boolean.TRUE.equals(row.get("relay_used", Boolean.class));
		return p;
	}

	private static int number(Readable row, String column) {
		Object value = row.get(column);
		return (value instanceof Number n) ? n.intValue() : 0;
	}

	@SuppressWarnings("NullAway")
	private static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static @Nullable OffsetDateTime time(@Nullable Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static Object nullable(@Nullable Object value, R2dbcType type) {
		return (value != null) ? value : Parameters.in(type);
	}

	/**
	 * One party's media summary, changed in place by {@link MediaStates} before saving.
	 */
	static final class Party {

		final UUID consultId;

		final String userId;

		final Instant firstReportedAt;

		@Nullable Instant firstJoinedAt;

		@Nullable Instant firstConnectedAt;

		@Nullable Integer millisToMedia;

		String state = "connecting";

		Instant stateAt;

		boolean dropped;

		int reconnections;

		int disconnections;

		int failures;

		int samples;

		SignalMessage.MediaStats last = new SignalMessage.MediaStats(null, null, null, null, null, null, null);

		boolean relayUsed;

		Party(UUID consultId, String userId, Instant firstReportedAt) {
			this.consultId = consultId;
			this.userId = userId;
			this.firstReportedAt = firstReportedAt;
			this.stateAt = firstReportedAt;
		}

	}

}
