package nl.beeldzorg.glasses;

import org.json.JSONException;
import org.json.JSONObject;

import android.app.Notification;
import android.app.NotificationChannel;
import android.app.NotificationManager;
import android.app.PendingIntent;
import android.app.Service;
import android.content.Context;
import android.content.Intent;
import android.os.IBinder;

/**
 * Keeps the event stream open while the screen is off, so the SO can call the ward's
 * glasses back: a foreground service (its notification says the glasses are reachable)
 * running {@link EventStream} on a thread of its own. A {@code consult.ringing} brings
 * the app to the front with a full-screen notification; the page then shows the call.
 */
public final class EventStreamService extends Service {

	static final String CHANNEL_STREAM = "verbinding";

	static final String CHANNEL_CALL = "oproep";

	static final int NOTIFICATION_STREAM = 1;

	static final int NOTIFICATION_CALL = 2;

	private EventStream stream;

	/** The call-back ringing now, if any. */
	private volatile String ringing;

	private Thread thread;

	public static void start(Context context) {
		context.startForegroundService(new Intent(context, EventStreamService.class));
	}

	public static void stop(Context context) {
		context.stopService(new Intent(context, EventStreamService.class));
	}

	@Override
	public void onCreate() {
		super.onCreate();
		NotificationManager notifications = getSystemService(NotificationManager.class);
		notifications.createNotificationChannel(
				new NotificationChannel(CHANNEL_STREAM, "Bereikbaar", NotificationManager.IMPORTANCE_LOW));
		notifications.createNotificationChannel(
				new NotificationChannel(CHANNEL_CALL, "Oproepen", NotificationManager.IMPORTANCE_HIGH));
	}

	@Override
	public int onStartCommand(Intent intent, int flags, int startId) {
		startForeground(NOTIFICATION_STREAM, streamNotification("Beeldzorg is bereikbaar"));
		Origin backend = Beeldzorg.backend(this);
		if (backend == null) {
			stopSelf();
			return START_NOT_STICKY;
		}
		if (this.thread == null || !this.thread.isAlive()) {
			// Opened with the device's id: the ward's call-backs reach these glasses.
			this.stream = new EventStream(backend, "/api/v1/events?glasses=" + DeviceId.of(this),
					Beeldzorg.session(this), Backoff.standard(), DeviceGrantClient.Clock.SYSTEM);
			this.thread = new Thread(() -> this.stream.run(new Listener()), "beeldzorg-events");
			this.thread.setDaemon(true);
			this.thread.start();
		}
		return START_STICKY;
	}

	@Override
	public void onDestroy() {
		if (this.stream != null) {
			this.stream.stop();
		}
		if (this.thread != null) {
			this.thread.interrupt();
		}
		super.onDestroy();
	}

	@Override
	public IBinder onBind(Intent intent) {
		return null;
	}

	boolean streaming() {
		return this.thread != null && this.thread.isAlive();
	}

	private PendingIntent openApp(String consultId) {
		Intent open = new Intent(this, GlassesActivity.class).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK);
		if (consultId != null) {
			open.putExtra(GlassesActivity.EXTRA_CONSULT, consultId);
		}
		return PendingIntent.getActivity(this, (consultId != null) ? 1 : 0, open,
				PendingIntent.FLAG_UPDATE_CURRENT | PendingIntent.FLAG_IMMUTABLE);
	}

	private Notification streamNotification(String text) {
		return new Notification.Builder(this, CHANNEL_STREAM).setContentTitle("Beeldzorg")
			.setContentText(text)
			.setSmallIcon(android.R.drawable.stat_sys_phone_call)
			.setContentIntent(openApp(null))
			.setOngoing(true)
			.build();
	}

	/**
	 * A call-back event for these glasses: {@code consult.ringing} with
	 * {@code callBackOf} (the SO calls the ward back), or {@code consult.accepted} /
	 * {@code consult.ended} of one (it stops ringing).
	 *
	 */
	static final class CallBack {

		private final String consultId;

		private final boolean ringing;

		CallBack(String consultId, boolean ringing) {
			this.consultId = consultId;
			this.ringing = ringing;
		}

		/**
		 * @return the call-back consult, a UUID
		 */
		String consultId() {
			return this.consultId;
		}

		/**
		 * @return whether it rings now
		 */
		boolean ringing() {
			return this.ringing;
		}

		private static final java.util.regex.Pattern UUID = java.util.regex.Pattern
			.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

		/**
		 * @return the call-back, or null for any other event
		 */
		static CallBack of(String name, String data) {
			boolean ringing = name.equals("consult.ringing");
			if (!ringing && !name.equals("consult.accepted") && !name.equals("consult.ended")) {
				return null;
			}
			try {
				JSONObject consult = new JSONObject(data);
				String id = consult.optString("id", "");
				if (!consult.has("callBackOf") || !UUID.matcher(id).matches()) {
					return null;
				}
				return new CallBack(id, ringing);
			}
			catch (JSONException ex) {
				return null;
			}
		}

	}

	private final class Listener implements EventStream.Listener {

		@Override
		public void onOpen() {
			notifyStream("Beeldzorg is bereikbaar");
		}

		@Override
		public void onEvent(String name, String data) {
			CallBack callBack = CallBack.of(name, data);
			if (callBack == null) {
				return;
			}
			NotificationManager notifications = getSystemService(NotificationManager.class);
			if (!callBack.ringing()) {
				// A colleague answered, or the SO hung up: stop ringing this one.
				if (callBack.consultId().equals(EventStreamService.this.ringing)) {
					notifications.cancel(NOTIFICATION_CALL);
					EventStreamService.this.ringing = null;
				}
				return;
			}
			EventStreamService.this.ringing = callBack.consultId();
			Notification call = new Notification.Builder(EventStreamService.this, CHANNEL_CALL)
				.setContentTitle("Terugbellen")
				.setContentText("De SO belt de bril terug")
				.setSmallIcon(android.R.drawable.stat_sys_phone_call)
				.setCategory(Notification.CATEGORY_CALL)
				.setFullScreenIntent(openApp(callBack.consultId()), true)
				.setAutoCancel(true)
				.build();
			notifications.notify(NOTIFICATION_CALL, call);
		}

		@Override
		public void onDrop(long delayMillis) {
			notifyStream("Geen verbinding; opnieuw over " + Math.max(1, delayMillis / 1000) + " s");
		}

		@Override
		public void onStopped(String reason) {
			if (reason.equals("replaced")) {
				notifyStream("Niet bereikbaar: een ander scherm nam de verbinding over");
			}
			else {
				stopSelf();
			}
		}

		private void notifyStream(String text) {
			getSystemService(NotificationManager.class).notify(NOTIFICATION_STREAM, streamNotification(text));
		}

	}

}
