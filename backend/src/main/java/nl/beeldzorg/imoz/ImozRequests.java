package nl.beeldzorg.imoz;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.system.NoBsn;
import nl.beeldzorg.system.NoBsnInReference;

/**
 * Bodies of the IMOZ endpoints.
 */
final class ImozRequests {

	private ImozRequests() {
	}

	/**
	 * A huisarts's written question.
	 *
	 * @param clientRef pseudonymous patient reference (never a name or BSN)
	 * @param homeArea the patient's 4-digit postcode area, e.g. 7311
	 * @param question the question
	 */
	record Ask(
			@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._/-]*",
					message = "may hold letters, digits and . _ / - only") @NoBsnInReference String clientRef,
			@NotBlank @Pattern(regexp = "[1-9][0-9]{3}", message = "is a 4-digit postcode area") String homeArea,
			@NotBlank @Size(max = 4000) @NoBsn String question) {
	}

	/**
	 * An SO's written answer.
	 *
	 * @param answer the answer
	 * @param billingCode one of {@code GET /api/v1/imoz/billing-codes}
	 */
	record Answer(@NotBlank @Size(max = 8000) @NoBsn String answer, @NotBlank @Size(max = 32) String billingCode) {
	}

	/**
	 * @param billingCode one of {@code GET /api/v1/imoz/billing-codes}
	 */
	record Billing(@NotBlank @Size(max = 32) String billingCode) {
	}

	/**
	 * The centre of a 4-digit postcode area.
	 *
	 * @param latitude WGS84 latitude
	 * @param longitude WGS84 longitude
	 */
	record HomeArea(
			@jakarta.validation.constraints.NotNull @jakarta.validation.constraints.DecimalMin("50.5") @jakarta.validation.constraints.DecimalMax("53.7") Double latitude,
			@jakarta.validation.constraints.NotNull @jakarta.validation.constraints.DecimalMin("3.2") @jakarta.validation.constraints.DecimalMax("7.3") Double longitude) {
	}

}
