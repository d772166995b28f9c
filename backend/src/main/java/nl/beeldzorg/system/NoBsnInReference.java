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
 * A client reference is pseudonymous: it holds no BSN, however written, counting eight
 * digits as a BSN whose leading zero was dropped ({@link Bsns#inReference}). Refused with
 * the field code {@code consult.client-ref-looks-like-bsn} and, as a whole, a 422 of the
 * same code.
 */
@Documented
@Constraint(validatedBy = NoBsnInReference.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface NoBsnInReference {

	/**
	 * @return the message
	 */
	String message() default "looks like a BSN; use the pseudonymous client reference of your care record";

	/**
	 * @return validation groups
	 */
	Class<?>[] groups() default {};

	/**
	 * @return payload
	 */
	Class<? extends Payload>[] payload() default {};

	/** Checks one reference; an absent one is for {@code @NotBlank} to judge. */
	class Validator implements ConstraintValidator<NoBsnInReference, CharSequence> {

		@Override
		public boolean isValid(@Nullable CharSequence value, ConstraintValidatorContext context) {
			return value == null || !Bsns.inReference(value.toString());
		}

	}

}
