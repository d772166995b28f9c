package nl.beeldzorg.imoz;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

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
					message = "may hold letters, digits and . _ / - only") String clientRef,
			@NotBlank @Pattern(regexp = "[1-9][0-9]{3}", message = "is a 4-digit postcode area") String homeArea,
			@NotBlank @Size(max = 4000) String question) {
	}

	/**
	 * An SO's written answer.
	 *
	 * @param answer the answer
	 * @param billingCode one of {@code GET /api/v1/imoz/billing-codes}
	 */
	record Answer(@NotBlank @Size(max = 8000) String answer, @NotBlank @Size(max = 32) String billingCode) {
	}

	/**
	 * @param billingCode one of {@code GET /api/v1/imoz/billing-codes}
	 */
	record Billing(@NotBlank @Size(max = 32) String billingCode) {
	}

}
