package nl.beeldzorg.consult;

/**
 * What kind of consult.
 */
public enum ConsultKind {

	/** Glasses at the bedside in a care location. */
	BEDSIDE,

	/** Out of hours (<i>avond, nacht, weekend</i>), routed by the on-call roster. */
	ANW,

	/**
	 * A huisarts asks an SO about a patient at home (<i>Integrale Medisch-specialistische
	 * OuderenZorg</i>).
	 */
	IMOZ,

	/**
	 * A consultant asks a colleague with expertise (<i>intercollegiale consultatie</i>).
	 */
	EXPERT

}
