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
 * Free text a user writes and the server stores (a question, an answer, a name) holds no
 * BSN, however written ({@link Bsns#inText}). Refused with the field code
 * {@code privacy.text-contains-bsn} and, as a whole, a 422
 * {@code privacy.text-contains-bsn}.
 */
@Documented
@Constraint(validatedBy = NoBsn.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface NoBsn {

	/**
	 * @return the message
	 */
	String message() default "holds what looks like a BSN (nine digits passing the eleven-test); leave it out";

	/**
	 * @return validation groups
	 */
	Class<?>[] groups() default {};

	/**
	 * @return payload
	 */
	Class<? extends Payload>[] payload() default {};

	/** Checks one text; an absent one is for {@code @NotNull} to judge. */
	class Validator implements ConstraintValidator<NoBsn, CharSequence> {

		@Override
		public boolean isValid(@Nullable CharSequence value, ConstraintValidatorContext context) {
			return value == null || !Bsns.inText(value.toString());
		}

	}

}
