// What state written by 0.1.0 requires from this path (docs/state-and-upgrades.md).
export {
  SECRET_API_KEYS,
  apiInputsOf,
  clientToken,
  createClient,
  describeApiError,
  errorCode,
  loadSdk,
} from "../../../provider/alicloud/api-client";
export { sleep } from "../../../provider/shared/poll";
