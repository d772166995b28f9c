package nl.beeldzorg.system;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * The one way Beeldzorg writes CSV (RFC 4180, CRLF lines): every export goes through here
 * so that no cell can act as a spreadsheet formula (CSV or formula injection, OWASP). A
 * text cell that begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return (or their full-width forms, which some spreadsheets read the same) is
 * written with a single quote before it and always between double quotes, so Excel and
 * LibreOffice show it as text. Numbers ({@link Number}) are written as they are: a
 * negative figure in a numeric column stays a number. Other text is quoted only where CSV
 * needs it.
 */
public final class SafeCsv {

	private final StringBuilder out = new StringBuilder();

	private boolean lineStart = true;

	private SafeCsv() {
	}

	/**
	 * @param header the header cells (neutralised like any text)
	 * @return a writer with its header line written
	 */
	public static SafeCsv withHeader(String... header) {
		SafeCsv csv = new SafeCsv();
		return csv.row((Object[]) header);
	}

	/**
	 * Writes one cell of the current line.
	 * @param value a number, text, anything else by its {@code toString()}, or
	 * {@code null} (empty)
	 * @return this
	 */
	public SafeCsv cell(@Nullable Object value) {
		if (!this.lineStart) {
			this.out.append(',');
		}
		this.lineStart = false;
		this.out.append(render(value));
		return this;
	}

	/**
	 * Ends the current line.
	 * @return this
	 */
	public SafeCsv endRow() {
		this.out.append("\r\n");
		this.lineStart = true;
		return this;
	}

	/**
	 * Writes a whole line.
	 * @param values its cells
	 * @return this
	 */
	public SafeCsv row(@Nullable Object... values) {
		for (Object value : values) {
			cell(value);
		}
		return endRow();
	}

	/**
	 * @return the CSV as UTF-8
	 */
	public byte[] utf8() {
		return this.out.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return this.out.toString();
	}

	/**
	 * @param value a cell's value
	 * @return the cell as CSV writes it
	 */
	static String render(@Nullable Object value) {
		if (value == null) {
			return "";
		}
		if (value instanceof Number number) {
			return number.toString();
		}
		String text = value.toString();
		if (startsLikeFormula(text)) {
			return quote("'" + text);
		}
		if (needsQuotes(text)) {
			return quote(text);
		}
		return text;
	}

	/**
	 * @param text a text cell
	 * @return whether a spreadsheet could read it as a formula
	 */
	public static boolean startsLikeFormula(String text) {
		if (text.isEmpty()) {
			return false;
		}
		return switch (text.charAt(0)) {
			case '=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20' -> true;
			default -> false;
		};
	}

	private static boolean needsQuotes(String text) {
		if (text.isEmpty()) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == ',' || c == '"' || c == '\r' || c == '\n') {
				return true;
			}
		}
		return text.charAt(0) == ' ' || text.charAt(text.length() - 1) == ' ' || text.charAt(0) == '#';
	}

	private static String quote(String text) {
		return '"' + text.replace("\"", "\"\"") + '"';
	}

}
