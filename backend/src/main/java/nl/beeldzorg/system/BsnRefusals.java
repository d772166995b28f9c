package nl.beeldzorg.system;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A BSN in a request is the refusal that matters most: a field holding one is named for
 * that alone (not also for its format), and the problem as a whole carries the BSN's code
 * and status (422) so that a page says so plainly.
 */
final class BsnRefusals {

	private static final String IN_REFERENCE = FieldErrorCode.CLIENT_REF_LOOKS_LIKE_BSN.code();

	private static final String IN_TEXT = FieldErrorCode.TEXT_CONTAINS_BSN.code();

	private BsnRefusals() {
	}

	/**
	 * @param errors the field errors of a request
	 * @return the same, without other errors of a field that holds a BSN
	 */
	static List<Map<String, String>> first(List<Map<String, String>> errors) {
		Set<String> holding = errors.stream()
			.filter(BsnRefusals::isBsn)
			.map((error) -> error.get("field"))
			.collect(Collectors.toSet());
		return errors.stream().filter((error) -> isBsn(error) || !holding.contains(error.get("field"))).toList();
	}

	/**
	 * @param errors the field errors of a request
	 * @return the problem's code: a client reference's BSN, else a text's BSN, else
	 * {@code request.invalid}
	 */
	static ErrorCode codeOf(List<Map<String, String>> errors) {
		if (errors.stream().anyMatch((error) -> IN_REFERENCE.equals(error.get("code")))) {
			return ErrorCode.CLIENT_REF_LOOKS_LIKE_BSN;
		}
		if (errors.stream().anyMatch((error) -> IN_TEXT.equals(error.get("code")))) {
			return ErrorCode.TEXT_CONTAINS_BSN;
		}
		return ErrorCode.REQUEST_INVALID;
	}

	private static boolean isBsn(Map<String, String> error) {
		return IN_REFERENCE.equals(error.get("code")) || IN_TEXT.equals(error.get("code"));
	}

}
