package nl.beeldzorg.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The ANW (avond, nacht, weekend: out of hours) on-call roster: shifts per subregion and
 * discipline, primary or backup. Overlapping shifts of one role are refused; gaps are
 * reported.
 */
@Component
public class OnCallRoster {

	private final DatabaseClient db;

	OnCallRoster(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * The shifts that ring: only those of a consultant of the shift's institution and
	 * discipline, so a shift stored for somebody else (before shifts were checked, or of
	 * a consultant who has since left or changed profession) never rings them.
	 * @param subregion the subregion
	 * @param discipline the discipline
	 * @param at the moment
	 * @return the shifts covering that moment, primaries first
	 */
	public Flux<Shift> at(String subregion, Discipline discipline, Instant at) {
		return this.db.sql("""
				SELECT s.* FROM on_call_shift s JOIN practitioner p ON p.user_id = s.consultant_id
				  AND p.institution_id = s.institution_id AND p.discipline = s.discipline
				WHERE s.subregion = :s AND s.discipline = :d AND s.starts_at <= :at AND s.ends_at > :at
				ORDER BY s.role DESC, s.starts_at""")
			.bind("s", subregion)
			.bind("d", discipline.name())
			.bind("at", at)
			.map(OnCallRoster::read)
			.all();
	}

	/**
	 * @param subregion the subregion
	 * @param from start
	 * @param to end
	 * @return the subregion's shifts touching the period
	 */
	public Flux<Shift> between(String subregion, Instant from, Instant to) {
		return this.db
			.sql("SELECT * FROM on_call_shift WHERE subregion = :s AND starts_at < :to AND ends_at > :from"
					+ " ORDER BY discipline, role DESC, starts_at")
			.bind("s", subregion)
			.bind("from", from)
			.bind("to", to)
			.map(OnCallRoster::read)
			.all();
	}

	/**
	 * Adds a shift unless it overlaps one of the same role, subregion and discipline.
	 * @param shift the shift
	 * @return the shift
	 */
	public Mono<Shift> add(Shift shift) {
		return this.db.sql("""
				SELECT * FROM on_call_shift WHERE subregion = :s AND discipline = :d AND role = :r
				AND starts_at < :end AND ends_at > :start""")
			.bind("s", shift.subregion())
			.bind("d", shift.discipline().name())
			.bind("r", shift.role().name())
			.bind("start", shift.startsAt())
			.bind("end", shift.endsAt())
			.map(OnCallRoster::read)
			.all()
			.next()
			.flatMap((clash) -> Mono.<Shift>error(new ApiException(ErrorCode.ROSTER_OVERLAP,
					"Overlaps the " + clash.role() + " shift of " + clash.consultantId() + " from " + clash.startsAt()
							+ " to " + clash.endsAt() + " (" + clash.id() + ")")))
			.switchIfEmpty(Mono.defer(() -> this.db.sql("""
					INSERT INTO on_call_shift (id, subregion, discipline, consultant_id, role, starts_at, ends_at,
					    institution_id, created_by, created_at)
					VALUES (:id, :s, :d, :c, :r, :start, :end, :i, :by, :at)""")
				.bind("id", shift.id())
				.bind("s", shift.subregion())
				.bind("d", shift.discipline().name())
				.bind("c", shift.consultantId())
				.bind("r", shift.role().name())
				.bind("start", shift.startsAt())
				.bind("end", shift.endsAt())
				.bind("i", shift.institutionId())
				.bind("by", shift.createdBy())
				.bind("at", shift.createdAt())
				.then()
				.thenReturn(shift)));
	}

	/**
	 * @param id a shift
	 * @param institutionId the admin's institution
	 * @return whether a shift of that institution was removed
	 */
	public Mono<Boolean> remove(UUID id, String institutionId) {
		return this.db.sql("DELETE FROM on_call_shift WHERE id = :id AND institution_id = :i")
			.bind("id", id)
			.bind("i", institutionId)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows > 0);
	}

	/**
	 * Periods in which a role has nobody on call.
	 * @param shifts shifts of one subregion, discipline and role
	 * @param from start of the period looked at
	 * @param to its end
	 * @return the uncovered periods
	 */
	public static List<Gap> gaps(List<Shift> shifts, Instant from, Instant to) {
		List<Shift> sorted = new ArrayList<>(shifts);
		sorted.sort(Comparator.comparing(Shift::startsAt));
		List<Gap> gaps = new ArrayList<>();
		Instant covered = from;
		for (Shift shift : sorted) {
			if (shift.startsAt().isAfter(covered) && covered.isBefore(to)) {
				gaps.add(new Gap(covered, shift.startsAt().isBefore(to) ? shift.startsAt() : to));
			}
			if (shift.endsAt().isAfter(covered)) {
				covered = shift.endsAt();
			}
		}
		if (covered.isBefore(to)) {
			gaps.add(new Gap(covered, to));
		}
		return gaps;
	}

	private static Shift read(Readable row) {
		return new Shift(row.get("id", UUID.class), row.get("subregion", String.class),
				Discipline.valueOf(row.get("discipline", String.class)), row.get("consultant_id", String.class),
				Role.valueOf(row.get("role", String.class)), row.get("starts_at", Instant.class),
				row.get("ends_at", Instant.class), row.get("institution_id", String.class),
				row.get("created_by", String.class), row.get("created_at", Instant.class));
	}

	/** Who rings first. */
	public enum Role {

		/** Rung first. */
		PRIMARY,

		/** Rung when the primary did not answer in time. */
		BACKUP

	}

	/**
	 * One on-call shift.
	 *
	 * @param id id
	 * @param subregion the subregion covered
	 * @param discipline the discipline
	 * @param consultantId who is on call
	 * @param role primary or backup
	 * @param startsAt start
	 * @param endsAt end (exclusive)
	 * @param institutionId the institution whose admin entered it
	 * @param createdBy that admin
	 * @param createdAt when
	 */
	public record Shift(UUID id, String subregion, Discipline discipline, String consultantId, Role role,
			Instant startsAt, Instant endsAt, String institutionId, String createdBy, Instant createdAt) {
	}

	/**
	 * A period with nobody on call.
	 *
	 * @param from start
	 * @param to end
	 */
	public record Gap(Instant from, Instant to) {
	}

}
