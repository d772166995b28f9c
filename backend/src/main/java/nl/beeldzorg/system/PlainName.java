package nl.beeldzorg.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.jspecify.annotations.Nullable;

/**
 * A name (of an institution, a location, a subregion) that does not begin with {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return. Such a name makes no sense
 * and a spreadsheet opening an export would run it as a formula, so it is refused at
 * input (exports neutralise cells as well). Refused as
 * {@link FieldErrorCode#FORMULA_LIKE}.
 */
@Documented
@Constraint(validatedBy = PlainName.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainName {

	/**
	 * @return the message
	 */
	String message() default "may not begin with =, +, -, @, a tab or a carriage return";

	/**
	 * @return the groups
	 */
	Class<?>[] groups() default {};

	/**
	 * @return the payload
	 */
	Class<? extends Payload>[] payload() default {};

	/** Checks the first character; an absent name is left to {@code @NotBlank}. */
	class Validator implements ConstraintValidator<PlainName, String> {

		@Override
		public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
			return value == null || !isFormulaLike(value);
		}

		/**
		 * @param value a text
		 * @return whether a spreadsheet would take it for a formula
		 */
		public static boolean isFormulaLike(String value) {
			return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
		}

	}

}
