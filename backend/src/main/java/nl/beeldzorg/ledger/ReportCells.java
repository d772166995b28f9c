package nl.beeldzorg.ledger;

import java.time.LocalDate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code report_cell}: the sums reports read. Called inside the transaction that
 * writes the ledger entry or ends the consult. Writers of one cell may run at once (each
 * consult has its own audit chain, so nothing else serialises them): the cell is created
 * with {@code ON CONFLICT DO NOTHING} (a second creator waits for the first and then does
 * nothing) and every change is an increment under the cell's row lock, so none is lost.
 */
@Component
public class ReportCells {

	private final DatabaseClient db;

	ReportCells(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Adds to one cell, creating it when new.
	 * @param cell which cell
	 * @param delta what to add
	 * @return completion
	 */
	Mono<Void> add(Cell cell, Delta delta) {
		Mono<Long> create = this.db.sql("""
				INSERT INTO report_cell (consult_day, institution_id, discipline, consult_kind, consultant_key,
				  consults, video_seconds, travel, handover, lost)
				VALUES (:day, :institution, :discipline, :kind, :consultant, 0, 0, 0, 0, 0) ON CONFLICT DO NOTHING
				""")
			.bind("day", cell.day())
			.bind("institution", cell.institutionId())
			.bind("discipline", cell.discipline())
			.bind("kind", cell.consultKind())
			.bind("consultant", (cell.consultantId() != null) ? cell.consultantId() : "")
			.fetch()
			.rowsUpdated();
		Mono<Long> update = bind(this.db.sql("""
				UPDATE report_cell SET consults = consults + :consults, video_seconds = video_seconds + :video,
				  travel = travel + :travel, handover = handover + :handover, lost = lost + :lost
				WHERE consult_day = :day AND institution_id = :institution AND discipline = :discipline
				  AND consult_kind = :kind AND consultant_key = :consultant
				"""), cell, delta).fetch().rowsUpdated();
		return update.flatMap((rows) -> (rows > 0) ? Mono.just(rows) : create.then(update)).then();
	}

	/**
	 * Counts a consult's first recorded outcome in its cell (outcome completeness). The
	 * cell exists: the consult's end created it.
	 * @param cell which cell
	 * @return completion
	 */
	Mono<Void> addOutcome(Cell cell) {
		return this.db.sql("""
				UPDATE report_cell SET outcomes = outcomes + 1
				WHERE consult_day = :day AND institution_id = :institution AND discipline = :discipline
				  AND consult_kind = :kind AND consultant_key = :consultant
				""")
			.bind("day", cell.day())
			.bind("institution", cell.institutionId())
			.bind("discipline", cell.discipline())
			.bind("kind", cell.consultKind())
			.bind("consultant", (cell.consultantId() != null) ? cell.consultantId() : "")
			.then();
	}

	private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Cell cell,
			Delta delta) {
		return spec.bind("day", cell.day())
			.bind("institution", cell.institutionId())
			.bind("discipline", cell.discipline())
			.bind("kind", cell.consultKind())
			.bind("consultant", (cell.consultantId() != null) ? cell.consultantId() : "")
			.bind("consults", delta.consults())
			.bind("video", delta.videoSeconds())
			.bind("travel", delta.travel())
			.bind("handover", delta.handover())
			.bind("lost", delta.lost());
	}

	/**
	 * @param day the consult's day
	 * @param institutionId its institution
	 * @param discipline the consultant's (or requested) discipline
	 * @param consultKind its kind
	 * @param consultantId the consultant, if any
	 */
	record Cell(LocalDate day, String institutionId, String discipline, String consultKind,
			@Nullable String consultantId) {
	}

	/**
	 * @param consults ended consults
	 * @param videoSeconds video time
	 * @param travel travel minutes saved
	 * @param handover handover minutes saved
	 * @param lost minutes lost
	 */
	record Delta(long consults, long videoSeconds, long travel, long handover, long lost) {

		static Delta of(LedgerEntry entry) {
			return switch (entry.kind()) {
				case TRAVEL -> new Delta(0, 0, entry.minutes(), 0, 0);
				case HANDOVER -> new Delta(0, 0, 0, entry.minutes(), 0);
				case LOST -> new Delta(0, 0, 0, 0, entry.minutes());
			};
		}

	}

}
