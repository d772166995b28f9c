package nl.beeldzorg.consult;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.NoBsn;
import nl.beeldzorg.system.NoBsnInReference;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/consults}.
 *
 * @param kind what kind of consult
 * @param locationId the care location (required for BEDSIDE and ANW)
 * @param clientRef pseudonymous client reference: never a name or BSN
 * @param question what the requester asks (never a BSN)
 * @param urgency how soon
 * @param requestedDiscipline the consultant discipline asked (default SO)
 * @param consultantId one consultant to ring, by user id
 * @param expertise for EXPERT consults: the expertise tag asked for (wounds, psychiatry,
 * …)
 * @param homeArea for IMOZ consults: the patient's 4-digit postcode area (never an
 * address)
 * @param scheduledAt for a video IMOZ consult booked ahead: when it rings (at least a
 * minute and at most 90 days ahead); absent, it rings now
 */
record StartConsultRequest(@NotNull ConsultKind kind, @Nullable @Size(max = 64) String locationId,
		@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._/-]*",
				message = "may hold letters, digits and . _ / - only") @NoBsnInReference String clientRef,
		@Nullable @Size(max = 2000) @NoBsn String question, @NotNull Urgency urgency,
		@Nullable Discipline requestedDiscipline, @Nullable @Size(max = 128) String consultantId,
		@Nullable @Size(max = 64) String expertise,
		@Nullable @Pattern(regexp = "[1-9][0-9]{3}", message = "is a 4-digit postcode area") String homeArea,
		java.time.@Nullable Instant scheduledAt) {
}
