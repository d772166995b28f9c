package nl.beeldzorg.glasses;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

/** After a restart the glasses are reachable again before anyone opens the app. */
public final class BootReceiver extends BroadcastReceiver {

	@Override
	public void onReceive(Context context, Intent intent) {
		if (Intent.ACTION_BOOT_COMPLETED.equals(intent.getAction()) && Beeldzorg.session(context).signedIn()) {
			EventStreamService.start(context);
		}
	}

}
