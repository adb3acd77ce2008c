import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON } from './shared';

/**
 * An SMTP login. The SMTP channel speaks SMTP itself (nodemailer), so there is no HTTP authentication and no HTTP
 * request to test the login with: the node tests it (`testedBy`) with verifySmtpLogin of nodes/channels/smtp.ts.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- tested by the node through testedBy, see above
export class PaymentEventsSmtpApi implements ICredentialType {
	name = 'paymentEventsSmtpApi';

	displayName = 'Payment Events: SMTP API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://nodemailer.com/smtp/';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'smtp.example.com',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 587,
			description: 'Usually 587 with STARTTLS, 465 with TLS',
		},
		{
			displayName: 'Security',
			name: 'security',
			type: 'options',
			options: [
				{ name: 'STARTTLS', value: 'starttls', description: 'Plain connection upgraded to TLS, required' },
				{ name: 'TLS', value: 'tls', description: 'TLS from the start (port 465)' },
				{ name: 'None', value: 'none', description: 'No encryption: only for a relay on a trusted network' },
			],
			default: 'starttls',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'Leave empty for a server that needs no login',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];
}
