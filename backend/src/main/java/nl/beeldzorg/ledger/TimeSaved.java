package nl.beeldzorg.ledger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The ledger of one consult, as {@code GET /api/v1/consults/{id}/time-saved} shows it.
 *
 * @param consultId the consult
 * @param outcome the latest outcome, if recorded
 * @param entries every entry, reversals included, oldest first
 * @param totals the sums that count now
 */
public record TimeSaved(UUID consultId, @Nullable OutcomeView outcome, List<LedgerEntry> entries, Totals totals) {

	static TimeSaved of(UUID consultId, LedgerRepository.@Nullable StoredOutcome outcome, List<LedgerEntry> entries) {
		int travel = 0;
		int handover = 0;
		int lost = 0;
		for (LedgerEntry entry : entries) {
			switch (entry.kind()) {
				case TRAVEL -> travel += entry.minutes();
				case HANDOVER -> handover += entry.minutes();
				case LOST -> lost += entry.minutes();
			}
		}
		OutcomeView view = (outcome != null) ? new OutcomeView(outcome.version(), outcome.outcome().resolution(),
				outcome.outcome().withoutVideo(), outcome.outcome().handoverMinutes(), outcome.recordedAt()) : null;
		return new TimeSaved(consultId, view, entries, new Totals(travel, handover, travel + handover, lost));
	}

	/**
	 * @param version 1 for the first, higher for corrections
	 * @param resolution how it was resolved
	 * @param withoutVideo what would have happened without video
	 * @param handoverMinutes the consultant's own handover estimate
	 * @param recordedAt when
	 */
	public record OutcomeView(int version, Resolution resolution, WithoutVideo withoutVideo,
			@Nullable Integer handoverMinutes, Instant recordedAt) {
	}

	/**
	 * @param travelMinutesSaved travel not driven
	 * @param handoverMinutesSaved handover saved
	 * @param minutesSaved the two together
	 * @param minutesLost time lost to a failed consult
	 */
	public record Totals(int travelMinutesSaved, int handoverMinutesSaved, int minutesSaved, int minutesLost) {
	}

}
