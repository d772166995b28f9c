package nl.beeldzorg.consult;

import java.time.Instant;
import java.util.UUID;

import nl.beeldzorg.security.Discipline;
import org.jspecify.annotations.Nullable;

/**
 * The consult aggregate as stored: one request for a consultant's look, from ringing to
 * outcome. The client is only ever a pseudonymous reference.
 *
 * @param id the consult id, which is also the signalling room
 * @param kind what kind
 * @param state where it is
 * @param version bumped by every state change (optimistic concurrency)
 * @param institutionId the institution whose consult it is
 * @param locationId the care location
 * @param clientRef pseudonymous client reference
 * @param question the requester's question
 * @param urgency how soon
 * @param requestedDiscipline which consultant discipline is asked
 * @param requestedBy the requester's user id
 * @param requestedByDiscipline the requester's discipline
 * @param consultantId who accepted
 * @param consultantDiscipline their discipline
 * @param idempotencyKey the requester's Idempotency-Key
 * @param requestHash hash of the start request, to spot a reused key
 * @param createdAt when it was started
 * @param acceptedAt when a consultant accepted
 * @param connectedAt when both parties had joined the room
 * @param endedAt when it ended, was cancelled, or was missed
 * @param ringStage the stage of the ring plan ringing now
 * @param ringDeadline when the current stage stops ringing unanswered (escalation)
 * @param expertise the expertise asked for (EXPERT consults)
 * @param scheduledAt for a video IMOZ consult booked ahead: when it rings
 */
record Consult(UUID id, ConsultKind kind, ConsultState state, int version, @Nullable String institutionId,
		@Nullable String locationId, String clientRef, @Nullable String question, Urgency urgency,
		Discipline requestedDiscipline, String requestedBy, Discipline requestedByDiscipline,
		@Nullable String consultantId, @Nullable Discipline consultantDiscipline, @Nullable String idempotencyKey,
		@Nullable String requestHash, Instant createdAt, @Nullable Instant acceptedAt, @Nullable Instant connectedAt,
		@Nullable Instant endedAt, int ringStage, @Nullable Instant ringDeadline, @Nullable String expertise,
		@Nullable Instant scheduledAt) {

	/**
	 * @param userId a user
	 * @return whether the user is the requester or the accepted consultant
	 */
	boolean isParty(String userId) {
		return this.requestedBy.equals(userId) || userId.equals(this.consultantId);
	}

}
