package nl.beeldzorg.system;

import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.validation.FieldError;

/**
 * The code of a field that failed Bean Validation, from the constraint it failed.
 */
final class FieldCodes {

	private FieldCodes() {
	}

	static FieldErrorCode of(FieldError error) {
		String constraint = (error.getCode() != null) ? error.getCode() : "";
		return switch (constraint) {
			case "NotNull", "NotBlank", "NotEmpty" -> FieldErrorCode.REQUIRED;
			case "Size" -> tooShort(error) ? FieldErrorCode.TOO_SHORT : FieldErrorCode.TOO_LONG;
			case "Pattern", "Email" -> FieldErrorCode.FORMAT;
			case "NoBsn" -> FieldErrorCode.TEXT_CONTAINS_BSN;
			case "NoBsnInReference" -> FieldErrorCode.CLIENT_REF_LOOKS_LIKE_BSN;
			case "PlainName" -> FieldErrorCode.FORMULA_LIKE;
			case "Min", "Max", "DecimalMin", "DecimalMax", "Positive", "PositiveOrZero", "Negative", "NegativeOrZero",
					"Range" ->
				FieldErrorCode.OUT_OF_RANGE;
			default -> FieldErrorCode.INVALID;
		};
	}

	/**
	 * {@code @Size} reports its bounds in the order max, min; a value below the least is
	 * too short, any other failure too long.
	 */
	private static boolean tooShort(FieldError error) {
		Integer length = length(error.getRejectedValue());
		Object[] arguments = (error.getArguments() != null) ? error.getArguments() : new Object[0];
		Object min = (arguments.length > 2) ? arguments[2] : null;
		return length != null && min instanceof Integer least && length < least;
	}

	private static @Nullable Integer length(@Nullable Object value) {
		if (value instanceof CharSequence text) {
			return text.length();
		}
		if (value instanceof Collection<?> items) {
			return items.size();
		}
		if (value instanceof Map<?, ?> entries) {
			return entries.size();
		}
		return null;
	}

}
