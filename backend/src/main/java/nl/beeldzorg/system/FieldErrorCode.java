package nl.beeldzorg.system;

/**
 * The stable machine codes of one field's problem, carried in each item of a problem's
 * {@code errors} beside the {@code field} it concerns, so that a page can put its own
 * words next to that field. Clients switch on {@link #code()}; never rename one.
 */
public enum FieldErrorCode {

	/** The field is missing or blank. */
	REQUIRED("request.field-required"),

	/** The text or list is longer than allowed. */
	TOO_LONG("request.field-too-long"),

	/** The text or list is shorter than allowed. */
	TOO_SHORT("request.field-too-short"),

	/** The text has characters or a shape the field does not take. */
	FORMAT("request.field-format"),

	/** The number is below the least or above the most allowed. */
	OUT_OF_RANGE("request.field-out-of-range"),

	/** The value is not one of those allowed. */
	NOT_ALLOWED("request.field-not-allowed"),

	/** The value has the wrong type (text for a number, say). */
	WRONG_TYPE("request.field-wrong-type"),

	/** Any other refusal of a field's value. */
	INVALID("request.field-invalid"),

	/**
	 * A name that begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
	 * carriage return: a spreadsheet opening an export would run it as a formula.
	 */
	FORMULA_LIKE("request.field-formula-like"),

	/** An end that is not after its start. */
	ENDS_BEFORE_START("request.ends-before-start"),

	/** A client reference that looks like a BSN (nine digits passing the eleven-test). */
	CLIENT_REF_LOOKS_LIKE_BSN("consult.client-ref-looks-like-bsn"),

	/**
	 * Free text holding a BSN: nine digits passing the eleven-test, however written.
	 */
	TEXT_CONTAINS_BSN("privacy.text-contains-bsn"),

	/** A booking less than a minute or more than 90 days ahead. */
	SCHEDULED_AT_OUT_OF_RANGE("consult.scheduled-at-out-of-range"),

	/** A booking ahead for a consult kind that rings now (only video IMOZ is booked). */
	SCHEDULED_AT_ONLY_IMOZ("consult.scheduled-at-only-imoz"),

	/** A requested discipline that is not a consultant's (SO, BA, VS, PA, GZP). */
	DISCIPLINE_NOT_CONSULTANT("consult.discipline-not-consultant"),

	/** An IMOZ consult asks an SO, no other discipline. */
	IMOZ_ASKS_SO("consult.imoz-asks-so"),

	/** A location that is not one of the caller's institution. */
	UNKNOWN_LOCATION("consult.unknown-location"),

	/** A consultant the caller cannot ask. */
	UNKNOWN_CONSULTANT("consult.unknown-consultant"),

	/** An expertise tag that is not configured. */
	UNKNOWN_EXPERTISE("routing.unknown-expertise"),

	/** A billing code that is not configured. */
	UNKNOWN_BILLING_CODE("imoz.unknown-billing-code"),

	/** A report period longer than allowed (three years). */
	PERIOD_TOO_LONG("report.period-too-long"),

	/** A report grouped by month and by quarter at once. */
	MONTH_AND_QUARTER("report.month-and-quarter"),

	/** An IMOZ billing export over more than 366 days. */
	BILLING_PERIOD_TOO_LONG("imoz.billing-period-too-long");

	private final String code;

	FieldErrorCode(String code) {
		this.code = code;
	}

	/**
	 * @return the stable code, e.g. {@code request.field-required}
	 */
	public String code() {
		return this.code;
	}

}
