package nl.beeldzorg.ledger;

/**
 * What kind of time a ledger entry counts.
 */
public enum EntryKind {

	/** The consultant's round trip, not driven (<i>reistijd</i>). */
	TRAVEL,

	/** Handover time saved by seeing the situation directly (<i>overdrachtstijd</i>). */
	HANDOVER,

	/**
	 * Time lost by a consult that did not connect, was missed or cancelled: the
	 * requester's waiting and ringing time.
	 */
	LOST

}
