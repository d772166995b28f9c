package nl.beeldzorg.media;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code media_cell}, the connection-quality rollup: adds to the cell of one
 * consult (its day, institution, discipline and kind). Writers of one cell may run at
 * once (a media report of one consult while another is accepted): the cell is created
 * with {@code ON CONFLICT DO NOTHING} and every change is an increment, so none is lost.
 */
@Component
public class MediaCells {

	private static final Set<String> COUNTS = Set.of("accepted", "connected", "relayed", "reconnections", "samples");

	private final DatabaseClient db;

	MediaCells(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Counts an accepted consult. Joins the caller's transaction (the accept).
	 * @param consultId the consult just accepted
	 * @return completion
	 */
	public Mono<Void> accepted(UUID consultId) {
		return add(consultId, Map.of("accepted", 1L));
	}

	/**
	 * Counts a consult of the demo's seeded history as its parties' media reports would
	 * have: accepted and, when media flowed, connected with its time to media and one
	 * stats sample. Joins the caller's transaction.
	 * @param consultId the seeded consult, already stored
	 * @param millisToMedia accept to first media, or {@code null} when it never connected
	 * @param rttMs the sample's round-trip time
	 * @param lossPct the sample's packet loss
	 * @param relayed whether its media went through TURN
	 * @return completion
	 */
	public Mono<Void> seeded(UUID consultId, @Nullable Long millisToMedia, int rttMs, double lossPct, boolean relayed) {
		Map<String, Long> deltas = new LinkedHashMap<>();
		deltas.put("accepted", 1L);
		if (millisToMedia != null) {
			deltas.put("connected", 1L);
			deltas.put(MediaBuckets.TIME_TO_MEDIA.column(millisToMedia), 1L);
			deltas.put("samples", 1L);
			deltas.put(MediaBuckets.RTT.column(rttMs), 1L);
			deltas.put(MediaBuckets.LOSS.column(lossPct), 1L);
			if (relayed) {
				deltas.put("relayed", 1L);
			}
		}
		return add(consultId, deltas);
	}

	/**
	 * Adds to the consult's cell; nothing for a consult of no institution yet.
	 * @param consultId the consult
	 * @param deltas column → amount, columns from {@link #COUNTS} or {@link MediaBuckets}
	 * @return completion
	 */
	Mono<Void> add(UUID consultId, Map<String, Long> deltas) {
		if (deltas.isEmpty()) {
			return Mono.empty();
		}
		Map<String, Long> safe = new LinkedHashMap<>();
		deltas.forEach((column, delta) -> {
			// Only known column names ever reach SQL.
			if (!COUNTS.contains(column) && !column.matches("(ttm|rtt|loss)_[0-9]{2}")) {
				throw new IllegalArgumentException("Not a media_cell column: " + column);
			}
			safe.put(column, delta);
		});
		return this.db.sql("""
				SELECT consult_day, institution_id, COALESCE(consultant_discipline, requested_discipline) AS discipline,
				  kind FROM consult WHERE id = :id AND institution_id IS NOT NULL AND consult_day IS NOT NULL
				""")
			.bind("id", consultId)
			.map((row) -> new Key(row.get("consult_day", LocalDate.class), row.get("institution_id", String.class),
					row.get("discipline", String.class), row.get("kind", String.class)))
			.one()
			.flatMap((key) -> bind(this.db.sql("""
					INSERT INTO media_cell (consult_day, institution_id, discipline, consult_kind)
					VALUES (:day, :institution, :discipline, :kind) ON CONFLICT DO NOTHING
					"""), key).then().then(update(key, safe)));
	}

	private Mono<Void> update(Key key, Map<String, Long> deltas) {
		String set = deltas.keySet()
			.stream()
			.map((column) -> column + " = " + column + " + :d_" + column)
			.collect(Collectors.joining(", "));
		DatabaseClient.GenericExecuteSpec spec = bind(this.db.sql("UPDATE media_cell SET " + set
				+ " WHERE consult_day = :day AND institution_id = :institution AND discipline = :discipline"
				+ " AND consult_kind = :kind"), key);
		for (Map.Entry<String, Long> delta : deltas.entrySet()) {
			spec = spec.bind("d_" + delta.getKey(), delta.getValue());
		}
		return spec.then();
	}

	private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Key key) {
		return spec.bind("day", key.day())
			.bind("institution", key.institutionId())
			.bind("discipline", key.discipline())
			.bind("kind", key.kind());
	}

	private record Key(LocalDate day, String institutionId, String discipline, String kind) {
	}

}
