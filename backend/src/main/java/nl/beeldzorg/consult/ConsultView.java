package nl.beeldzorg.consult;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.signalling.protocol.IceServer;
import org.jspecify.annotations.Nullable;

/**
 * A consult as {@code API.md} shows it. {@code join} only for a party.
 *
 * @param id consult id
 * @param kind what kind
 * @param state where it is
 * @param institutionId whose consult
 * @param locationId the care location
 * @param clientRef pseudonymous client reference
 * @param question the question
 * @param urgency how soon
 * @param requestedDiscipline the discipline asked
 * @param requestedBy the requester
 * @param ringing the consultants it rings for now
 * @param consultant who accepted
 * @param createdAt started
 * @param acceptedAt accepted
 * @param connectedAt both parties joined the room
 * @param endedAt ended, cancelled or missed
 * @param join how to join the video room
 * @param expertise the expertise asked for (EXPERT consults)
 * @param ringDeadline while ringing: when the consultants ringing now stop and the next
 * ones (the backup, the SO after a VS/PA) ring, or the consult is missed
 * @param fallback when missed: whom the requester should call instead
 * @param scheduledAt for a video IMOZ consult booked ahead: when it rings
 * @param homeArea for an IMOZ consult: the patient's 4-digit postcode area
 * @param bookedWith for a booked video IMOZ consult: the SO it will ring
 */
public record ConsultView(UUID id, ConsultKind kind, ConsultState state, @Nullable String institutionId,
		@Nullable String locationId, String clientRef, @Nullable String question, Urgency urgency,
		Discipline requestedDiscipline, Party requestedBy, List<Party> ringing, @Nullable Party consultant,
		Instant createdAt, @Nullable Instant acceptedAt, @Nullable Instant connectedAt, @Nullable Instant endedAt,
		@Nullable Join join, @Nullable String expertise, @Nullable Instant ringDeadline, @Nullable Fallback fallback,
		@Nullable Instant scheduledAt, @Nullable String homeArea, @Nullable Party bookedWith) {

	/**
	 * A person in a consult.
	 *
	 * @param userId user id
	 * @param discipline profession
	 * @param name display name, when known
	 */
	public record Party(String userId, @Nullable Discipline discipline, @Nullable String name) {
	}

	/**
	 * How to join the signalling room.
	 *
	 * @param token the join token (short-lived for the first join)
	 * @param signallingUrl the WebSocket path
	 * @param iceServers STUN/TURN servers
	 */
	public record Join(String token, String signallingUrl, List<IceServer> iceServers) {
	}

	/**
	 * What a requester does when nobody answered: the institution's instructions.
	 *
	 * @param phone the number to call
	 * @param instructions what else to do
	 */
	public record Fallback(@Nullable String phone, @Nullable String instructions) {
	}

	ConsultView withoutJoin() {
		return new ConsultView(this.id, this.kind, this.state, this.institutionId, this.locationId, this.clientRef,
				this.question, this.urgency, this.requestedDiscipline, this.requestedBy, this.ringing, this.consultant,
				this.createdAt, this.acceptedAt, this.connectedAt, this.endedAt, null, this.expertise,
				this.ringDeadline, this.fallback, this.scheduledAt, this.homeArea, this.bookedWith);
	}

}
