package nl.beeldzorg.ledger;

/**
 * What would have happened without the video consult: the counterfactual that values it.
 */
public enum WithoutVideo {

	/** The consultant would have driven over. */
	PHYSICAL_VISIT,

	/** A phone call (with a written report and a later look). */
	PHONE_CALL,

	/** It would have waited for the next regular visit. */
	NEXT_REGULAR_VISIT,

	/** Nothing. */
	NOTHING

}
