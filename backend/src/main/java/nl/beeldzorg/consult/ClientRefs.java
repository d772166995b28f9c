package nl.beeldzorg.consult;

/**
 * Guards that a client reference is pseudonymous.
 */
public final class ClientRefs {

	private ClientRefs() {
	}

	/**
	 * Whether a value looks like a BSN (burgerservicenummer): nine digits, possibly
	 * separated by dots, spaces or dashes, passing the eleven-test (9·d1 + 8·d2 + … +
	 * 2·d8 − 1·d9 divisible by 11).
	 * @param value a client reference
	 * @return whether it must be refused
	 */
	public static boolean looksLikeBsn(String value) {
		String digits = value.replaceAll("[\\s.\\-]", "");
		if (!digits.matches("\\d{8,9}")) {
			return false;
		}
		if (digits.length() == 8) {
			// A BSN of eight digits is written with a leading zero dropped.
			digits = "0" + digits;
		}
		int sum = 0;
		for (int i = 0; i < 8; i++) {
			sum += (9 - i) * (digits.charAt(i) - '0');
		}
		sum -= digits.charAt(8) - '0';
		return sum % 11 == 0 && !digits.equals("000000000");
	}

}
