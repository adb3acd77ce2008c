import { activecampaign } from './activecampaign';
import { dynamics } from './dynamics';
import { hubspot } from './hubspot';
import { intercom } from './intercom';
import { klaviyo } from './klaviyo';
import { monday } from './monday';
import { pipedrive } from './pipedrive';
import { salesforce } from './salesforce';
import { zohocrm } from './zohocrm';
import type { CrmAdapter } from './types';

/** Every CRM, in the order the node lists them. */
export const CRMS: readonly CrmAdapter[] = [hubspot, salesforce, dynamics, pipedrive, zohocrm, monday, activecampaign, klaviyo, intercom];

export function crmById(id: string): CrmAdapter | undefined {
	return CRMS.find((crm) => crm.id === id);
}
