import type { Feature, FeatureContext } from '../features.js';
import { EspeakVoice } from '../../hardware/voice/espeak.js';
import type { VoicePort } from '../../hardware/voice/port.js';
import { hallIdByCode } from '../serial/serial.repo.js';
import { VoiceService } from './voice.service.js';
import { voiceRoutes } from './voice.routes.js';
import * as repo from './voice.repo.js';

/**
 * Voice: announces every committed call (and recall) in Vietnamese. The audio is served to the displays by URL
 * (CallEvent.audioUrl), cached by text; with VOICE_SPEAK=1 it is also spoken on this PC's speakers, one at a time
 * per hall in call order (only for HARDWARE_HALL when that is set). Engine failures are a health fault, never a crash.
 */
export function voiceFeature({ hub }: FeatureContext, opts: { voice?: VoicePort } = {}): Feature {
  let speakHall: number | null = null;
  const engine = opts.voice ? null : new EspeakVoice({ command: hub.config.voiceCommand, onStderr: (text) => hub.log.debug({ stderr: text }, 'espeak-ng stderr (ignored)') });
  const voice: VoicePort = opts.voice ?? engine!;
  const service = new VoiceService({
    voice,
    log: hub.log,
    settingsOf: (hallId) => repo.hallSettings(hub.db, hallId),
    findCall: (hallId, ticketId, nth) => repo.findCall(hub.db, hallId, ticketId, nth),
    saveSettings: (hallId, patch) => repo.mergeHallSettings(hub.db, hallId, patch),
    speakFor: (hallId) => hub.config.voiceSpeak && (speakHall === null || speakHall === hallId),
    cacheBytes: hub.config.voiceCacheMb * 1024 * 1024,
    onHealth: ({ online, faults }) => {
      // The engine serves every hall of this hub: each hall's board sees its state.
      const path = engine ? engine.command : voice.name;
      repo
        .hallIds(hub.db)
        .then((ids) => {
          for (const hallId of ids) hub.bus.emit('driver.health', { hallId, driver: 'voice', kind: 'voice', path, counterNumber: null, online, faults });
        })
        .catch((err: unknown) => hub.log.warn({ err }, 'voice health not reported'));
    },
  });

  return {
    name: 'voice',
    routes: (api) => voiceRoutes(api, service),
    handles: {
      'ticket.called': ({ hallId, call }) => {
        void service.announce(hallId, { number: call.number, counterNumber: call.counterNumber, counterName: call.counterName, serviceName: call.serviceName, recall: call.recall });
      },
    },
    async start() {
      if (hub.config.voiceSpeak && hub.config.hardwareHall) {
        speakHall = await hallIdByCode(hub.db, hub.config.hardwareHall);
        if (speakHall === null) hub.log.warn({ hall: hub.config.hardwareHall }, 'HARDWARE_HALL names no hall: speaking every hall');
      }
      await service.start();
    },
    stop() {
      service.stop();
      engine?.dispose();
    },
  };
}
