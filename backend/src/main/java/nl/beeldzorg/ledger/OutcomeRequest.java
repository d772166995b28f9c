package nl.beeldzorg.ledger;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PUT /api/v1/consults/{id}/outcome}.
 *
 * @param resolution how it was resolved
 * @param withoutVideo what would have happened without the video consult
 * @param handoverMinutes handover minutes saved, when the consultant knows better than
 * the norm
 */
record OutcomeRequest(@NotNull Resolution resolution, @NotNull WithoutVideo withoutVideo,
		@Nullable @Min(0) @Max(480) Integer handoverMinutes) {

	Valuation.Outcome toOutcome() {
		return new Valuation.Outcome(this.resolution, this.withoutVideo, this.handoverMinutes);
	}

}
