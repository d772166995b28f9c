package nl.beeldzorg.ledger;

/**
 * How the consult was resolved.
 */
public enum Resolution {

	/** Settled by video; nobody needs to come. */
	RESOLVED_REMOTELY,

	/** A physical visit is still needed. */
	VISIT_STILL_NEEDED,

	/** Referred elsewhere (hospital, GP, specialist). */
	REFERRED

}
