package nl.beeldzorg.consult;

import nl.beeldzorg.system.Bsns;

/**
 * Guards that a client reference is pseudonymous.
 */
public final class ClientRefs {

	private ClientRefs() {
	}

	/**
	 * Whether a client reference holds a BSN (burgerservicenummer) anywhere, however
	 * written: nine digits passing the eleven-test, or eight (a BSN whose leading zero
	 * was dropped), alone or among letters and separators ({@code BSN111222333},
	 * {@code K-111222333}, {@code 111/222/333}). See {@link Bsns} for the rule.
	 * @param value a client reference
	 * @return whether it must be refused
	 */
	public static boolean looksLikeBsn(String value) {
		return Bsns.inReference(value);
	}

}
