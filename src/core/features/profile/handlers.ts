/** Who is using this device: the name the other person sees. */
import { SetProfileInput } from '../../../shared/schemas.js';
import { NoInput, handler } from '../define.js';

export const profileHandlers = {
  getProfile: handler(NoInput, async ({ core }) => core.currentProfile),
  setProfile: handler(SetProfileInput, async ({ core }, { name }) => core.saveProfile(name)),
};
