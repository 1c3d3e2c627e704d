import type { Feature } from '../features.js';
import type { Hub } from '../context.js';
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
export function voiceFeature(opts: { voice?: VoicePort } = {}): Feature {
  let service: VoiceService | null = null;
  let engine: EspeakVoice | null = null;
  let speakHall: number | null = null;
  const unsubscribe: (() => void)[] = [];

  const make = (hub: Hub): VoiceService => {
    if (service) return service;
    const voice =
      opts.voice ??
      (engine = new EspeakVoice({ command: hub.config.voiceCommand, onStderr: (text) => hub.log.debug({ stderr: text }, 'espeak-ng stderr (ignored)') }));
    service = new VoiceService({
      voice,
      log: hub.log,
      settingsOf: (hallId) => repo.hallSettings(hub.db, hallId),
      findCall: (hallId, ticketId, nth) => repo.findCall(hub.db, hallId, ticketId, nth),
      saveSettings: (hallId, patch) => repo.mergeHallSettings(hub.db, hallId, patch),
      speakFor: (hallId) => hub.config.voiceSpeak && (speakHall === null || speakHall === hallId),
      cacheBytes: hub.config.voiceCacheMb * 1024 * 1024,
      onHealth: ({ online, faults }) => {
        // The engine serves every hall of this hub: each hall's board sees its state.
        const path = voice === engine ? engine.command : voice.name;
        repo
          .hallIds(hub.db)
          .then((ids) => {
            for (const hallId of ids) hub.bus.emit('driver.health', { hallId, driver: 'voice', kind: 'voice', path, counterNumber: null, online, faults });
          })
          .catch((err: unknown) => hub.log.warn({ err }, 'voice health not reported'));
      },
    });
    return service;
  };

  return {
    name: 'voice',
    async routes(api, hub) {
      await voiceRoutes(api, make(hub));
    },
    async start(hub) {
      const voice = make(hub);
      if (hub.config.voiceSpeak && hub.config.hardwareHall) {
        speakHall = await hallIdByCode(hub.db, hub.config.hardwareHall);
        if (speakHall === null) hub.log.warn({ hall: hub.config.hardwareHall }, 'HARDWARE_HALL names no hall: speaking every hall');
      }
      unsubscribe.push(
        hub.bus.on('ticket.called', ({ hallId, call }) => {
          void voice.announce(hallId, { number: call.number, counterNumber: call.counterNumber, counterName: call.counterName, serviceName: call.serviceName, recall: call.recall });
        }),
      );
      await voice.start();
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off();
      service?.stop();
      engine?.dispose();
    },
  };
}
