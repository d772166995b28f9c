package nl.beeldzorg.report;

import java.util.Locale;
import java.util.Map;

import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;

/**
 * The language of a report download's headers and words: Dutch unless {@code ?lang=en}
 * asks for English. The JSON keeps its field names (the contract) in either language.
 */
enum ExportLanguage {

	/** Dutch, the default: the programme office's language. */
	NL,

	/** English. */
	EN;

	/** Headers per JSON field: Dutch, English. Unknown fields keep their field name. */
	private static final Map<String, String[]> HEADERS = Map.ofEntries(
			Map.entry("institutionId", new String[] { "Organisatie-id", "Institution id" }),
			Map.entry("institutionName", new String[] { "Organisatie", "Institution" }),
			Map.entry("month", new String[] { "Maand", "Month" }),
			Map.entry("quarter", new String[] { "Kwartaal", "Quarter" }),
			Map.entry("discipline", new String[] { "Discipline", "Discipline" }),
			Map.entry("kind", new String[] { "Soort consult", "Consult kind" }),
			Map.entry("consults", new String[] { "Consulten", "Consults" }),
			Map.entry("videoMinutes", new String[] { "Videominuten", "Video minutes" }),
			Map.entry("travelMinutesSaved", new String[] { "Reistijd bespaard (min)", "Travel saved (min)" }),
			Map.entry("handoverMinutesSaved",
					new String[] { "Overdrachtstijd bespaard (min)", "Handover saved (min)" }),
			Map.entry("minutesSaved", new String[] { "Totaal bespaard (min)", "Total saved (min)" }),
			Map.entry("minutesLost", new String[] { "Verloren (min)", "Lost (min)" }),
			Map.entry("fteEquivalent", new String[] { "FTE-equivalent", "FTE equivalent" }),
			Map.entry("consultsWithOutcome", new String[] { "Met uitkomst", "With outcome" }),
			Map.entry("outcomeCompleteness",
					new String[] { "Uitkomst vastgelegd (aandeel)", "Outcome recorded (share)" }),
			Map.entry("suppressed", new String[] { "Onderdrukt", "Suppressed" }),
			Map.entry("accepted", new String[] { "Aangenomen", "Accepted" }),
			Map.entry("connected", new String[] { "Verbonden", "Connected" }),
			Map.entry("connectedShare", new String[] { "Verbonden (aandeel)", "Connected (share)" }),
			Map.entry("medianSecondsToConnect",
					new String[] { "Mediaan seconden tot verbinding", "Median seconds to connect" }),
			Map.entry("reconnects", new String[] { "Opnieuw verbonden", "Reconnects" }),
			Map.entry("resolution", new String[] { "Afloop", "Resolution" }),
			Map.entry("withoutVideo", new String[] { "Zonder beeldzorg", "Without video" }),
			Map.entry("fte", new String[] { "# fte", "# FTE" }), Map.entry("%", new String[] { "% groei", "% change" }),
			Map.entry("note", new String[] { "Toelichting", "Note" }),
			Map.entry("matrix", new String[] { "DMZ-capaciteit", "DMZ capacity" }));

	/**
	 * @param lang {@code nl}, {@code en}, or absent
	 * @return the language
	 */
	static ExportLanguage of(String lang) {
		return switch (lang.trim().toLowerCase(Locale.ROOT)) {
			case "", "nl" -> NL;
			case "en" -> EN;
			default -> throw new ApiException(ErrorCode.REQUEST_INVALID, "lang must be nl or en");
		};
	}

	/**
	 * @param field a JSON field name
	 * @return its column header
	 */
	String header(String field) {
		String[] words = HEADERS.get(field);
		return (words != null) ? words[ordinal()] : field;
	}

	/**
	 * @return what a suppressed figure shows instead of a number
	 */
	String suppressed() {
		return (this == NL) ? "onderdrukt" : "suppressed";
	}

	/**
	 * @return the value of the "suppressed" column for a suppressed row
	 */
	String suppressedYes() {
		return (this == NL) ? "ja: rust op minder dan " + ReportScope.MIN_CONSULTANTS + " behandelaren"
				: "yes: rests on fewer than " + ReportScope.MIN_CONSULTANTS + " consultants";
	}

	/**
	 * @return the value of the "suppressed" column for a row suppressed complementarily
	 */
	String suppressedComplementary() {
		return (this == NL) ? "ja: aanvullend, zodat een kleine cel niet terug te rekenen is"
				: "yes: complementary, so that a small cell cannot be computed back";
	}

	/**
	 * @return the value of the "suppressed" column for a shown row
	 */
	String suppressedNo() {
		return (this == NL) ? "nee" : "no";
	}

	/**
	 * @return why cells are suppressed, for the notes of a download
	 */
	String suppressionNote() {
		return (this == NL)
				? "onderdrukt: het getal rust op minder dan " + ReportScope.MIN_CONSULTANTS
						+ " verschillende behandelaren en wordt niet getoond, zodat niemand herleidbaar is"
						+ " (privacy); ook andere getallen worden aanvullend onderdrukt, zodat zo'n getal niet uit"
						+ " totalen of andere indelingen terug te rekenen is; kies een langere periode of tel"
						+ " organisaties samen"
				: "suppressed: the figure rests on fewer than " + ReportScope.MIN_CONSULTANTS
						+ " distinct consultants and is not shown, so nobody can be singled out (privacy);"
						+ " other figures are suppressed too (complementary), so that such a figure cannot be computed"
						+ " from totals or other groupings; choose a longer period or combine institutions";
	}

	/**
	 * @return the name of the notes sheet
	 */
	String notesSheet() {
		return (this == NL) ? "Aannames" : "Assumptions";
	}

}
