package nl.beeldzorg.audit;

/**
 * What happened to a consult.
 */
public enum AuditAction {

	/** A requester started it. */
	CREATED,

	/** It rang for a consultant. */
	RUNG,

	/** A consultant accepted it. */
	ACCEPTED,

	/** A consultant declined it. */
	DECLINED,

	/** The requester withdrew it while ringing. */
	CANCELLED,

	/** Nobody accepted it. */
	MISSED,

	/**
	 * Nobody answered in time (or all declined): the next stage of the ring plan rings.
	 */
	ESCALATED,

	/** A party invited someone into the consult. */
	INVITED,

	/** An SO called the ward's glasses back (detail: the consult it follows). */
	CALLED_BACK,

	/** An SO answered a written IMOZ question. */
	ANSWERED,

	/** A party joined the video room (or rejoined after a network switch). */
	JOINED,

	/** A party left the video room for good. */
	LEFT,

	/** A party ended it. */
	ENDED,

	/** The consultant recorded its outcome (and so its time saved). */
	OUTCOME_RECORDED,

	/** The consultant corrected its outcome. */
	OUTCOME_CORRECTED,

	/** A photo added to a written IMOZ question (detail: its SHA-256). */
	PHOTO_ADDED,

	/**
	 * Someone read patient data (NEN 7513): a consult, its audit, media or time saved, an
	 * IMOZ question or photo, a list of them, or a billing export. Detail: what was read;
	 * a list names what it showed in {@code subjects}.
	 */
	READ,

	/**
	 * Consent to record was given (by the client or a representative), and by whom it was
	 * recorded.
	 */
	RECORDING_CONSENTED,

	/** The media server records. */
	RECORDING_STARTED,

	/** The media server could not start recording. */
	RECORDING_FAILED,

	/** The recording stopped (a party, or the end of the consult). */
	RECORDING_STOPPED,

	/** The recording's file was deleted after its retention. */
	RECORDING_DELETED

}
