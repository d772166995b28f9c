package nl.beeldzorg.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Finds a BSN (burgerservicenummer) anywhere in a text, however it is written, so that
 * none is stored where a user may type freely.
 *
 * <p>
 * The rule, precisely:
 * <ul>
 * <li>A <em>group</em> is a maximal run of digits (any script's decimal digits). Letters,
 * brackets and other signs around a group do not hide it: {@code BSN111222333},
 * {@code 111222333X}, {@code K-111222333}.</li>
 * <li>A <em>chain</em> is a run of groups joined by one and the same separator: one to
 * three characters out of space, no-break space, tab, {@code . - / \ _} and the Unicode
 * dashes, or a lone comma ({@code 1234.56.782}, {@code 111 222 333}, {@code 111-222-333},
 * {@code 111/222/333}, {@code 111 - 222 - 333}, {@code 111,222,333}). A change of
 * separator starts a new chain, so a date next to a time ({@code 3-2-2026 14.30}) never
 * joins into one number. A comma with a space makes a list ({@code 120, 134, 156}), never
 * a chain, and so do four or more numbers with only spaces between
 * ({@code 110 70 62 98}): those are measurements.</li>
 * <li>A chain of exactly nine digits, and any single group of nine digits, is a BSN when
 * it passes the eleven-test (9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11, not all zeros).
 * A group is never cut out of a longer run of digits, so a phone number
 * ({@code 0612345678}), a date ({@code 01-02-2026}) or a time ({@code 14:30}) is not one.
 * A chain that begins with {@code +} or {@code 00} is an international phone number
 * ({@code +31 612345678}, at most fifteen digits in all) and is left alone.</li>
 * <li>In a longer chain, three groups of two to four digits, nine in all, passing the
 * eleven-test, are a BSN too: that is how one is written right after another number
 * ({@code 1-2-1950 123 456 782}). Other cuts out of a longer chain are not made: a list
 * of measurements would too often add up to nine digits.</li>
 * <li>Eight digits are a BSN whose leading zero was dropped (a spreadsheet does that) in
 * a <em>reference</em> ({@link #inReference}), and in free text only when the word BSN,
 * sofi or burgerservicenummer stands just before them: in running text eight digits are
 * far more often a date ({@code 01022026}) than a BSN.</li>
 * </ul>
 */
public final class Bsns {

	private static final String SEPARATORS = " \u00a0\u202f\t.-/\\_,\u2010\u2011\u2012\u2013\u2014\u2015\u2212";

	private static final int MAX_SEPARATOR = 3;

	/** The most digits of an international number: {@code 0031} and ten. */
	private static final int MAX_PHONE = 15;

	private static final int LABEL_REACH = 24;

	private static final List<String> LABELS = List.of("bsn", "sofi", "burgerservicenummer");

	private Bsns() {
	}

	/**
	 * @param text free text: a question, an answer, a name
	 * @return whether it holds a BSN (nine digits passing the eleven-test, or eight right
	 * after the word BSN)
	 */
	public static boolean inText(String text) {
		return contains(text, false);
	}

	/**
	 * @param reference a client reference
	 * @return whether it holds a BSN, counting eight digits as a BSN without its leading
	 * zero
	 */
	public static boolean inReference(String reference) {
		return contains(reference, true);
	}

	/**
	 * @param digits eight or nine digits
	 * @return whether they pass the eleven-test (eight: with a leading zero put back)
	 */
	public static boolean elevenTest(String digits) {
		String nine = (digits.length() == 8) ? "0" + digits : digits;
		if (nine.length() != 9) {
			return false;
		}
		int sum = 0;
		for (int i = 0; i < 8; i++) {
			sum += (9 - i) * (nine.charAt(i) - '0');
		}
		sum -= nine.charAt(8) - '0';
		return sum % 11 == 0 && !nine.equals("000000000");
	}

	private static boolean contains(String text, boolean reference) {
		List<Group> groups = groups(text);
		for (Group group : groups) {
			if (group.phone) {
				continue;
			}
			if (group.digits.length() == 9 && elevenTest(group.digits)) {
				return true;
			}
			if (group.digits.length() == 8 && (reference || labelled(text, group.start)) && elevenTest(group.digits)) {
				return true;
			}
		}
		for (List<Group> chain : chains(text, groups)) {
			String digits = digits(chain);
			boolean spaced = chain.size() > 3 && isBlank(text.substring(chain.get(0).end, chain.get(1).start));
			if (spaced) {
				// Four or more numbers with spaces between are a list (110 70 62 98).
				if (writtenInside(chain)) {
					return true;
				}
				continue;
			}
			if (digits.length() == 9 && elevenTest(digits)) {
				return true;
			}
			if (digits.length() == 8 && (reference || labelled(text, chain.get(0).start)) && elevenTest(digits)) {
				return true;
			}
			if (writtenInside(chain)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a longer chain holds three groups of two to four digits, nine in all,
	 * passing the eleven-test: the way a BSN is written ({@code 123 456 782},
	 * {@code 1234.56.782}) right after another number ({@code 1-2-1950 123 456 782}).
	 */
	private static boolean writtenInside(List<Group> chain) {
		for (int g = 0; g + 3 <= chain.size(); g++) {
			List<Group> three = chain.subList(g, g + 3);
			boolean shaped = three.stream()
				.allMatch((group) -> group.digits.length() >= 2 && group.digits.length() <= 4);
			String digits = digits(three);
			if (shaped && digits.length() == 9 && elevenTest(digits)) {
				return true;
			}
		}
		return false;
	}

	private static String digits(List<Group> groups) {
		StringBuilder digits = new StringBuilder();
		groups.forEach((group) -> digits.append(group.digits));
		return digits.toString();
	}

	/** The maximal runs of digits, as ASCII digits. */
	private static List<Group> groups(String text) {
		List<Group> groups = new ArrayList<>();
		int i = 0;
		while (i < text.length()) {
			if (!Character.isDigit(text.charAt(i))) {
				i++;
				continue;
			}
			int start = i;
			StringBuilder digits = new StringBuilder();
			while (i < text.length() && Character.isDigit(text.charAt(i))) {
				digits.append((char) ('0' + Character.digit(text.charAt(i), 10)));
				i++;
			}
			groups.add(new Group(start, i, digits.toString(), false));
		}
		return markPhones(text, groups);
	}

	/**
	 * Chains of two or more groups joined by one and the same separator; a group may end
	 * one chain and begin the next. A lone group is looked at on its own. Phone numbers'
	 * groups are left out.
	 */
	private static List<List<Group>> chains(String text, List<Group> groups) {
		List<List<Group>> chains = new ArrayList<>();
		List<Group> chain = new ArrayList<>();
		@Nullable String separator = null;
		for (int g = 0; g < groups.size(); g++) {
			Group group = groups.get(g);
			if (group.phone) {
				// A phone number breaks a chain; its own digits are never a BSN.
				if (chain.size() > 1) {
					chains.add(chain);
				}
				chain = new ArrayList<>();
				separator = null;
				continue;
			}
			if (chain.isEmpty()) {
				chain.add(group);
				continue;
			}
			@Nullable String between = separator(text, chain.get(chain.size() - 1), group);
			if (between != null && (separator == null || separator.equals(between))) {
				chain.add(group);
				separator = between;
				continue;
			}
			if (chain.size() > 1) {
				chains.add(chain);
			}
			Group last = chain.get(chain.size() - 1);
			chain = new ArrayList<>();
			separator = null;
			if (between != null) {
				// The boundary group begins the next chain, joined by the other
				// separator.
				chain.add(last);
				separator = between;
			}
			chain.add(group);
		}
		if (chain.size() > 1) {
			chains.add(chain);
		}
		return chains;
	}

	private static @Nullable String separator(String text, Group left, Group right) {
		String between = text.substring(left.end, right.start);
		if (between.isEmpty() || between.length() > MAX_SEPARATOR) {
			return null;
		}
		for (int i = 0; i < between.length(); i++) {
			if (SEPARATORS.indexOf(between.charAt(i)) < 0) {
				return null;
			}
		}
		// A lone comma writes thousands (111,222,333); a comma and a space make a list.
		return (between.indexOf(',') >= 0 && !between.equals(",")) ? null : between;
	}

	private static boolean isBlank(String separator) {
		return separator.chars().allMatch((c) -> c == '\u00a0' || c == '\u202f' || Character.isWhitespace(c));
	}

	/**
	 * Groups of an international phone number: a chain of groups joined by spaces, dots
	 * or dashes whose first group follows a {@code +} or begins with {@code 00}.
	 */
	private static List<Group> markPhones(String text, List<Group> groups) {
		List<Group> marked = new ArrayList<>(groups.size());
		int phoneDigits = 0;
		for (int g = 0; g < groups.size(); g++) {
			Group group = groups.get(g);
			if (phoneDigits > 0 && separator(text, groups.get(g - 1), group) != null
					&& phoneDigits + group.digits.length() <= MAX_PHONE) {
				phoneDigits += group.digits.length();
				marked.add(group.asPhone());
				continue;
			}
			boolean plus = group.start > 0 && text.charAt(group.start - 1) == '+';
			boolean prefix = (plus || group.digits.startsWith("00")) && group.digits.length() <= 4;
			phoneDigits = prefix ? group.digits.length() : 0;
			marked.add(prefix ? group.asPhone() : group);
		}
		return marked;
	}

	private static boolean labelled(String text, int start) {
		String before = text.substring(Math.max(0, start - LABEL_REACH), start).toLowerCase(Locale.ROOT);
		return LABELS.stream().anyMatch(before::contains);
	}

	private record Group(int start, int end, String digits, boolean phone) {

		Group asPhone() {
			return new Group(this.start, this.end, this.digits, true);
		}

	}

}
