import {
  EffectiveVoiceSettings,
  UpdateVoiceSettingsBody,
  VoiceAudioQuery,
  VoiceCallParams,
  VoiceGroupQuery,
  VoicePreviewBody,
  errorResponses,
} from '../../protocol/index.js';
import { Type } from '@sinclair/typebox';
import { access } from '../auth/access.js';
import { type App } from '../context.js';
import { guard } from '../auth/auth.plugin.js';
import type { VoiceService } from './voice.service.js';

/** A WAV body (sent as a Buffer, never serialised). */
const Wav = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'audio/wav: RIFF, 16-bit mono PCM' });
const audioResponses = { 200: Wav, ...errorResponses, 503: errorResponses[400] };

const audioHeaders = { 'content-type': 'audio/wav', 'cache-control': 'private, max-age=3600' };

export async function voiceRoutes(app: App, voice: VoiceService) {
  app.get(
    '/voice/calls/:call',
    {
      schema: {
        tags: ['voice'],
        summary: 'Announcement audio of one call (audio/wav), the URL in CallEvent.audioUrl',
        params: VoiceCallParams,
        querystring: VoiceAudioQuery,
        response: audioResponses,
      },
      preHandler: guard(access.display),
    },
    async (req, reply) => {
      const [ticketId, nth] = req.params.call.replace(/\.wav$/, '').split('-').map(Number);
      const wav = await voice.callAudio(req.principal!.hallId, ticketId!, nth!, req.query.chime === '1');
      return reply.headers(audioHeaders).send(wav);
    },
  );

  app.get(
    '/voice/group.wav',
    {
      schema: {
        tags: ['voice'],
        summary: 'Several calls announced in one short phrase (audio/wav), for a burst of calls',
        querystring: VoiceGroupQuery,
        response: audioResponses,
      },
      preHandler: guard(access.display),
    },
    async (req, reply) => {
      const calls = req.query.calls.split(',').map((c) => {
        const [ticketId, nth] = c.split('-').map(Number);
        return { ticketId: ticketId!, nth: nth! };
      });
      const wav = await voice.groupAudio(req.principal!.hallId, calls, req.query.chime === '1');
      return reply.headers(audioHeaders).send(wav);
    },
  );

  app.get(
    '/voice/chime.wav',
    { schema: { tags: ['voice'], summary: 'The hall chime (audio/wav) a display plays before an announcement', response: audioResponses }, preHandler: guard(access.display) },
    async (_req, reply) => reply.headers({ ...audioHeaders, 'cache-control': 'private, max-age=86400' }).send(voice.chime()),
  );

  app.post(
    '/voice/preview',
    { schema: { tags: ['voice'], summary: 'Hear a call with the hall voice settings (audio/wav)', body: VoicePreviewBody, response: audioResponses }, preHandler: guard(access.managers) },
    async (req, reply) => {
      const { text, wav } = await voice.preview(req.principal!.hallId, req.body);
      return reply.headers({ 'content-type': 'audio/wav', 'cache-control': 'no-store', 'x-announcement-text': encodeURIComponent(text) }).send(wav);
    },
  );

  app.get(
    '/voice/settings',
    { schema: { tags: ['voice'], response: { 200: EffectiveVoiceSettings, ...errorResponses } }, preHandler: guard(access.managers) },
    async (req) => voice.effectiveSettings(req.principal!.hallId),
  );

  app.put(
    '/voice/settings',
    { schema: { tags: ['voice'], body: UpdateVoiceSettingsBody, response: { 200: EffectiveVoiceSettings, ...errorResponses } }, preHandler: guard(access.admin) },
    async (req) => voice.updateSettings(req.principal!.hallId, req.body),
  );
}
