package nl.beeldzorg.imoz;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A huisarts's written question to an SO, as stored and as shown (the huisarts sees only
 * their own practice's; SOs see the open ones and those they claimed).
 *
 * @param id id
 * @param state OPEN, CLAIMED, ANSWERED or WITHDRAWN
 * @param version for conditional changes
 * @param practiceId the huisarts's practice
 * @param askedBy the huisarts
 * @param clientRef pseudonymous patient reference (never a name or BSN)
 * @param homeArea the patient's home area (4-digit postcode area), for travel saved
 * @param question the question
 * @param dueAt answer expected by
 * @param claimedBy the SO who took it
 * @param claimedAt when
 * @param answer the written answer
 * @param answeredAt when
 * @param answeredByInstitution the SO's institution (who declares)
 * @param billingCode the declaration code
 * @param createdAt asked at
 * @param withdrawnAt withdrawn at
 */
public record ImozQuestion(UUID id, State state, int version, String practiceId, String askedBy, String clientRef,
		String homeArea, String question, Instant dueAt, @Nullable String claimedBy, @Nullable Instant claimedAt,
		@Nullable String answer, @Nullable Instant answeredAt, @Nullable String answeredByInstitution,
		@Nullable String billingCode, Instant createdAt, @Nullable Instant withdrawnAt) {

	/**
	 * @param now the moment
	 * @return whether an answer is late
	 */
	public boolean overdue(Instant now) {
		return (this.state == State.OPEN || this.state == State.CLAIMED) && now.isAfter(this.dueAt);
	}

	/** Where a written IMOZ question is. */
	public enum State {

		/** Asked; any SO of the region may take it. */
		OPEN,

		/** An SO took it and is working on the answer. */
		CLAIMED,

		/** Answered in writing; declared with its billing code. */
		ANSWERED,

		/** The huisarts withdrew it before an answer. */
		WITHDRAWN

	}

}
