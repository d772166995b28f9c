package nl.beeldzorg.glasses;

import android.content.Context;
import android.graphics.Color;
import android.graphics.Typeface;
import android.graphics.drawable.GradientDrawable;
import android.graphics.drawable.StateListDrawable;
import android.util.TypedValue;
import android.view.Gravity;
import android.widget.Button;
import android.widget.TextView;

/**
 * The native screens' parts, for 854x480 glasses: text of at least 20 sp, a thick yellow
 * ring on the focused control (Vuzix D-pad), and the WearHF directives RealWear reads
 * from the content description: {@code hf_no_number} (no number badges) and
 * {@code hf_commands:} (the spoken command, an uppercase two-syllable Dutch word).
 */
final class Ui {

	static final int BACKGROUND = Color.rgb(0x10, 0x1c, 0x2b);

	static final int TEXT = Color.WHITE;

	static final int FOCUS = Color.rgb(0xff, 0xd4, 0x00);

	static final float MIN_TEXT_SP = 20;

	private Ui() {
	}

	/**
	 * The WearHF directives for a control.
	 * @param command the spoken command
	 * @return the content description
	 */
	static String wearHf(String command) {
		return "hf_no_number|hf_commands:" + command;
	}

	static TextView text(Context context, String text, float sp) {
		TextView view = new TextView(context);
		view.setText(text);
		view.setTextColor(TEXT);
		view.setTextSize(TypedValue.COMPLEX_UNIT_SP, Math.max(MIN_TEXT_SP, sp));
		view.setGravity(Gravity.CENTER);
		// Not a control: WearHF gives it no number and no command.
		view.setContentDescription("hf_no_number");
		return view;
	}

	static Button button(Context context, String command, Runnable action) {
		Button button = new Button(context);
		button.setText(command);
		button.setAllCaps(true);
		button.setTextColor(TEXT);
		button.setTypeface(Typeface.DEFAULT_BOLD);
		button.setTextSize(TypedValue.COMPLEX_UNIT_SP, 24);
		button.setContentDescription(wearHf(command));
		button.setFocusable(true);
		button.setFocusableInTouchMode(true);
		button.setBackground(focusRing(context));
		int padding = dp(context, 16);
		button.setPadding(padding * 2, padding, padding * 2, padding);
		button.setOnClickListener((v) -> action.run());
		return button;
	}

	private static StateListDrawable focusRing(Context context) {
		StateListDrawable states = new StateListDrawable();
		GradientDrawable focused = new GradientDrawable();
		focused.setColor(Color.rgb(0x1f, 0x4e, 0x79));
		focused.setStroke(dp(context, 5), FOCUS);
		focused.setCornerRadius(dp(context, 8));
		GradientDrawable plain = new GradientDrawable();
		plain.setColor(Color.rgb(0x1f, 0x4e, 0x79));
		plain.setStroke(dp(context, 5), Color.TRANSPARENT);
		plain.setCornerRadius(dp(context, 8));
		states.addState(new int[] { android.R.attr.state_focused }, focused);
		states.addState(new int[] { android.R.attr.state_pressed }, focused);
		states.addState(new int[0], plain);
		return states;
	}

	static int dp(Context context, int dp) {
		return Math.round(dp * context.getResources().getDisplayMetrics().density);
	}

}
