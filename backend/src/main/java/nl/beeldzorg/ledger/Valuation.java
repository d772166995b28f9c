package nl.beeldzorg.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Turns a consult and its outcome into ledger entries. Pure: the same facts, rule and
 * travel time always give the same entries, so every reported minute can be recomputed.
 */
final class Valuation {

	private Valuation() {
	}

	/**
	 * Values a consult that connected and has an outcome.
	 * @param facts the consult
	 * @param outcome what the consultant recorded
	 * @param rule the valuation rule of the consult's day
	 * @param travel the consultant's one-way travel to the location, if known
	 * @return the entries (none of zero minutes)
	 */
	static List<Valued> saved(Facts facts, Outcome outcome, ValuationRule rule, @Nullable Travel travel) {
		List<Valued> entries = new ArrayList<>(2);
		String outcomeBasis = "outcome " + outcome.resolution() + "/" + outcome.withoutVideo();
		if (outcome.withoutVideo() == WithoutVideo.PHYSICAL_VISIT
				&& outcome.resolution() != Resolution.VISIT_STILL_NEEDED && travel != null) {
			entries.add(new Valued(
					EntryKind.TRAVEL, 2 * travel.oneWayMinutes(), "round trip 2 x " + travel.oneWayMinutes() + " min ("
							+ travel.description() + "); " + outcomeBasis + "; rule v" + rule.version(),
					travel.travelTimeId(), travel.estimated()));
		}
		if (outcome.withoutVideo() != WithoutVideo.NOTHING) {
			Integer given = outcome.handoverMinutes();
			int minutes = Math.min((given != null) ? given : rule.handoverNorm(facts.kind()), rule.handoverCap());
			String source = (given != null) ? "given " + given + " min"
					: "norm " + rule.handoverNorm(facts.kind()) + " min for " + facts.kind();
			entries.add(new Valued(EntryKind.HANDOVER, minutes, "handover " + source + ", cap " + rule.handoverCap()
					+ " min; " + outcomeBasis + "; rule v" + rule.version(), null, false));
		}
		entries.removeIf((entry) -> entry.minutes() <= 0);
		return entries;
	}

	/**
	 * Values a consult that failed: missed, cancelled, or ended without ever connecting.
	 * It saves nothing; the requester's waiting and ringing time is counted as lost.
	 * @param facts the consult
	 * @param rule the valuation rule of the consult's day
	 * @param until when the requester stopped waiting
	 * @return one {@link EntryKind#LOST} entry of the started minutes waited, or none
	 */
	static List<Valued> lost(Facts facts, ValuationRule rule, Instant until) {
		long millis = Math.max(0, Duration.between(facts.createdAt(), until).toMillis());
		int minutes = (int) ((millis + 59_999) / 60_000);
		if (minutes == 0) {
			return List.of();
		}
		return List.of(new Valued(EntryKind.LOST, minutes, "requester waited " + minutes + " min; consult "
				+ facts.state() + " without media connecting; rule v" + rule.version(), null, false));
	}

	/**
	 * The consult facts valuation needs.
	 *
	 * @param kind the consult kind
	 * @param state its state
	 * @param createdAt when it was started
	 */
	record Facts(nl.beeldzorg.consult.ConsultKind kind, nl.beeldzorg.consult.ConsultState state, Instant createdAt) {
	}

	/**
	 * An outcome as recorded.
	 *
	 * @param resolution how it was resolved
	 * @param withoutVideo what would have happened without video
	 * @param handoverMinutes the consultant's own handover estimate, if given
	 */
	record Outcome(Resolution resolution, WithoutVideo withoutVideo, @Nullable Integer handoverMinutes) {
	}

	/**
	 * A consultant's one-way travel to a location.
	 *
	 * @param travelTimeId the matrix entry, absent for an estimate
	 * @param oneWayMinutes minutes one way
	 * @param estimated whether it was estimated from coordinates
	 * @param description how it was found, for the entry's basis
	 */
	record Travel(@Nullable UUID travelTimeId, int oneWayMinutes, boolean estimated, String description) {
	}

	/**
	 * One entry to write.
	 *
	 * @param kind what it counts
	 * @param minutes how many
	 * @param basis why, in words
	 * @param travelTimeId the travel-time entry it rests on
	 * @param estimated whether it rests on an estimate
	 */
	record Valued(EntryKind kind, int minutes, String basis, @Nullable UUID travelTimeId, boolean estimated) {
	}

}
