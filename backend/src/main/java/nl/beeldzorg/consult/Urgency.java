package nl.beeldzorg.consult;

/**
 * How soon the requester needs an answer.
 */
public enum Urgency {

	/** Today, when it suits. */
	ROUTINE,

	/** Within the hour. */
	URGENT,

	/** Now. */
	EMERGENCY

}
