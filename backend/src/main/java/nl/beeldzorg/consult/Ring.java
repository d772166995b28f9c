package nl.beeldzorg.consult;

import nl.beeldzorg.security.Discipline;

/**
 * A consult ringing for one consultant.
 *
 * @param userId the consultant
 * @param discipline their discipline
 * @param state what they did
 */
record Ring(String userId, Discipline discipline, RingState state) {

	/** What a rung consultant did. */
	enum RingState {

		/** Still ringing. */
		RINGING,

		/** Accepted: became the consultant. */
		ACCEPTED,

		/** Declined. */
		DECLINED,

		/**
		 * Stopped ringing because someone else accepted, or the consult was withdrawn.
		 */
		WITHDRAWN,

		/** Rang unanswered until the ring timeout; the consult moved on. */
		TIMED_OUT

	}

}
