import { guidedEn } from './guided.en';

/**
 * The English catalog. Its keys are the key set every other language must fill (see Catalog).
 * `{name}` marks a parameter filled by `format`.
 */
export const en = {
  // Common
  'common.cancel': 'Cancel',
  'common.back': 'Back',
  'common.next': 'Next',
  'common.done': 'Done',
  'common.demoFooter': "Demo mode: nothing is written to Entra ID and no real text or call is sent. Codes appear in the bot's console.",
  'common.strongerMethods': 'A phone is a restricted sign-in method. Passkeys and the Microsoft Authenticator app are stronger: add one in Security info too.',
  'common.openPortal': 'Open Security info',
  'common.alreadyHandled': 'That card was already handled. Nothing more to do there.',
  'common.staleCard': 'That card is no longer active. Please use the latest card below.',
  'common.tryAgain': 'Several answers to this card arrived at once. Please wait a moment and try again.',
  'common.movedOn':
    'Something else happened in this chat at the same moment, so your last answer was not saved. Check the latest messages and try again if you still need to.',
  'common.cancelled': 'Cancelled. Nothing was changed. Send me any message to start again.',
  'common.useCard': 'Please answer with the card above, or type "cancel" to stop.',
  'common.unusableInput':
    'I can\'t use what the card sent: an entry has characters (such as line breaks or tabs) or a length that no answer here has. Please check what you entered and try again, or type "cancel" to stop.',
  'common.unexpectedError': 'Sorry, something went wrong on our side. Nothing was changed. Please try again in a moment.',
  'common.noWorkAccount': 'I can only help with a work account signed in to Microsoft Teams.',
  'common.contactHelpdesk': 'If this keeps happening, contact the helpdesk: {contact}',

  // Phone types (Graph: mobile, alternateMobile, office)
  'type.mobile': 'Phone',
  'type.alternateMobile': 'Alternate phone',
  'type.office': 'Office phone',
  'type.mobile.advice': 'Your mobile or smartphone. Also fine for a home landline.',
  'type.alternateMobile.advice': 'A second phone, for example your home landline. Needs a Phone first.',
  'type.office.advice': 'Your landline at work, on a direct line. Calls only; sign-in calls cannot dial an extension.',

  // Welcome
  'welcome.title': 'Set up your phone for sign-in verification',
  'welcome.intro':
    'I help you register a phone number as a multi-factor authentication (MFA) method for your work account, the same as the Security info page, step by step. I check that the phone is yours before anything is saved.',
  'welcome.methodsHeading': 'Your phone methods',
  'welcome.noMethods': "You have no phone registered yet. Let's add one: it takes about two minutes.",
  'welcome.add': 'Add a phone',
  'welcome.portal': 'Do it myself in the portal',
  'welcome.help': 'Help',
  'welcome.allRegistered': 'All three phone types are registered. To change a number, choose "Change or remove".',

  // Help
  'help.title': 'How this works',
  'help.steps':
    '1. Choose the kind of phone.\n2. Choose the country/region and type the number.\n3. Choose "Receive a code" (text message) or "Call me".\n4. Enter the code, or answer the call and type the code on the keypad.\n5. Your phone appears in your Security info list.',
  'help.typing': 'You can type "add phone", "my phones", "help" or "cancel" at any time.',
  'help.portal': 'You can also do it yourself on the [Security info page]({url}).',

  // Phone type step
  'typeStep.title': 'Which phone do you want to add?',
  'typeStep.guide': 'Mobile or smartphone → Phone. Work landline → Office phone. Home landline → Phone or Alternate phone.',
  'typeStep.label': 'Type of phone',
  'typeStep.required': 'Choose the type of phone.',
  'typeStep.registeredHeading': 'Already registered',
  'typeStep.summary': 'Type of phone',

  // Number step
  'numberStep.title': '{type}: enter the number',
  'numberStep.countryLabel': 'Country or region',
  'numberStep.countryRequired': 'Choose the country or region of the number.',
  'numberStep.numberLabel': 'Phone number',
  'numberStep.numberPlaceholder': 'For example {example}',
  'numberStep.numberRequired': 'Enter the phone number.',
  'numberStep.numberHint': 'Type it the way you dial it at home, or with the country code (+). Spaces, dashes and brackets are fine.',
  'numberStep.extensionNote': 'Sign-in calls cannot dial an extension: Microsoft removes it before calling. Enter a direct line that rings your own phone.',
  'numberStep.summary': 'Phone number',

  // Number errors (PhoneRejection)
  'phoneError.empty': 'Enter a phone number.',
  'phoneError.not_a_number': 'That does not look like a phone number. Use digits, and + for the country code.',
  'phoneError.too_short': 'That number is too short. Check that you typed every digit.',
  'phoneError.too_long': 'That number is too long. Check for extra digits.',
  'phoneError.invalid_country': 'Choose a country or region, or type the number with its country code (+).',
  'phoneError.invalid_for_region': 'That is not a valid number for {country}. Check the number and the country/region.',
  'phoneError.country_not_allowed': 'Numbers from {country} cannot be registered here. Your organization allows: {allowed}.',
  'phoneError.premium_rate': 'Premium-rate numbers cannot be used for sign-in. Use your own mobile or landline.',
  'phoneError.shared_cost': 'Shared-cost numbers cannot be used for sign-in. Use your own mobile or landline.',
  'phoneError.voip': 'Internet (VoIP/IP phone) numbers cannot be used for sign-in. Use a mobile or landline number.',
  'phoneError.toll_free': 'Toll-free numbers cannot be used for sign-in. Use your own mobile or landline.',
  'phoneError.uan': 'Universal access (navigation dial) numbers cannot be used for sign-in. Use your own mobile or landline.',
  'phoneError.pager': 'Pager numbers cannot be used for sign-in. Use a mobile or landline number.',
  'phoneError.voicemail': 'Voicemail access numbers cannot be used for sign-in. Use a mobile or landline number.',
  'phoneError.personal_number': "Personal forwarding numbers cannot be used for sign-in. Use the phone's own number.",
  'phoneError.invalid_extension': 'An extension has digits only, up to 10.',
  'phoneError.extension_not_allowed': 'A phone for sign-in cannot have an extension. Remove it and enter a direct line.',
  'phoneError.extension_not_dialed':
    'Sign-in calls cannot dial an extension (Microsoft removes it before calling), so this number would not reach you. Enter a direct line that rings your own phone, or register your mobile instead.',

  // Type errors (directory rules)
  'typeError.type_already_registered': 'You already have a {type} registered. Choose another type, or go back and choose "Change or remove" to change it.',
  'typeError.alternate_requires_mobile': 'An Alternate phone needs a Phone first. Register your mobile (or home phone) as Phone, then add the alternate.',
  'typeError.type_not_allowed': 'Your organization does not allow {type} for sign-in.',

  // Method step
  'methodStep.title': 'How should we check {number}?',
  'methodStep.why': 'Before we register the number, we make sure the phone is yours.',
  'methodStep.sms': 'Receive a code',
  'methodStep.call': 'Call me',
  'methodStep.smsUnavailable': 'Text messages are not available for this number, so we will call you.',
  'methodStep.summary': 'How to check',

  // Code step
  'codeStep.sending': 'Sending a code to {number}…',
  'codeStep.title': 'Enter code',
  'codeStep.sent': 'We sent a 6-digit code by text message to {number}. It is valid for {minutes} minutes.',
  'codeStep.label': 'Code',
  'codeStep.placeholder': '6 digits',
  'codeStep.required': 'Enter the 6-digit code from the text message.',
  'codeStep.verify': 'Verify',
  'codeStep.resend': 'Send a new code',
  'codeStep.changeNumber': 'Use another number',
  'codeStep.resendHint': 'No text after a minute? You can ask for a new code 30 seconds after the last one.',
  'codeStep.wrong': 'That code is not right. {attempts} tries left.',
  'codeStep.wrongLast': 'That code is not right. 1 try left.',
  'codeStep.dead': 'Too many wrong tries: that code no longer works. Send a new code.',
  'codeStep.expired': 'That code has expired. Send a new code.',
  'codeStep.malformed': 'The code has 6 digits.',
  'codeStep.cooldown': 'Please wait {seconds} seconds before asking for another code.',
  'codeStep.resendLimit': 'You have asked for the most codes allowed for this number. Try "Call me", use another number, or start again later.',
  'codeStep.resent': 'A new code is on its way to {number}. The old code no longer works.',
  'codeStep.summary': 'Code',
  'codeStep.summaryVerified': 'Verified',

  // Call step
  'callStep.title': 'We will call {number}',
  'callStep.explain':
    'When you press "Call me now", {number} rings from {caller}. Answer it: a voice asks you to type the 6-digit code below on the phone\'s keypad.',
  'callStep.unknownCaller': 'an unknown or withheld number',
  'callStep.codeLabel': 'Code to type on the keypad',
  'callStep.start': 'Call me now',
  'callStep.useSms': 'Receive a code instead',
  'callStep.calling': 'Calling {number}… Answer the phone and type the code {code} on the keypad.',
  'callStep.summary': 'Call',
  'callStep.summaryVerified': 'Answered and code typed',

  // Call outcomes
  'callFailed.title': 'The call did not verify your phone',
  'callFailed.no_answer': 'Nobody answered the call to {number}.',
  'callFailed.busy': 'The line {number} was busy.',
  'callFailed.rejected': 'The call to {number} was declined.',
  'callFailed.recognize_failed': 'We did not receive the code from the keypad.',
  'callFailed.failed': 'The call to {number} could not be made.',
  'callFailed.wrong_digits': 'The digits typed on the keypad did not match the code.',
  'callFailed.callAgain': 'Call again',

  // Delivery errors
  'deliveryError.sms': 'We could not send a text message to {number}. You can try "Call me" instead, or use another number.',
  'deliveryError.call': 'We could not start a call to {number}. Try again in a moment, or use another number.',

  // Registration
  'register.saving': 'Registering {number} as {type}…',
  'register.doneTitle': 'Your phone is registered',
  'register.doneText': '{type} {number} is now in your Security info list.',
  'register.nextHeading': 'What to do next',
  'register.nextDefault': 'Check which method is your default sign-in method on the Security info page.',
  'register.addAnother': 'Add another phone',

  // Directory errors (DirectoryErrorCode)
  'directoryError.type_already_registered': 'You already have a {type} registered. Nothing was changed.',
  'directoryError.alternate_requires_mobile': 'An Alternate phone needs a Phone first. Nothing was changed.',
  'directoryError.invalid_phone_format': 'Entra ID did not accept that number. Nothing was changed. Please check it and try again.',
  'directoryError.mobile_required_by_alternate':
    "Your Phone cannot be removed while an Alternate phone is registered. Remove the Alternate phone first, or change the Phone's number instead.",
  'directoryError.default_method':
    'This phone is your default sign-in method, so it cannot be removed. Choose another default method on the Security info page ("Change" next to "Default sign-in method"), then try again.',
  'directoryError.method_not_found': 'That phone is no longer registered. Nothing was changed.',
  'directoryError.permission_denied':
    'This bot is not allowed to change sign-in methods in your organization. Please use the Security info page, or ask the helpdesk.',
  'directoryError.user_not_found': 'Your account was not found in the directory. Please contact the helpdesk.',
  'directoryError.conflict': 'Your sign-in methods changed while we were working. Nothing was changed; please try again.',
  'directoryError.graph_throttled': 'The directory is busy right now. Please try again in {seconds} seconds.',
  'directoryError.graph_unavailable': 'The directory is not available right now. Nothing was changed. Please try again in a few minutes.',
  'directoryError.graph_timeout': 'The directory did not answer in time. Please check your Security info list before trying again.',
  'directoryError.graph_error': 'The directory could not complete the request. Nothing was changed. Please try again later.',

  // Limits and the account guard
  'limits.user': 'You have asked for many codes in a short time. You can try again in {time}.',
  'limits.number': 'This number has had several codes in the last minutes. You can try again in {time}.',
  'limits.country': 'Too many codes went to this country today. Please try again in {time}, or contact the helpdesk.',
  'limits.minutes': '{n} minutes',
  'limits.hours': '{n} hours',
  'guard.wrongTenant': "Sorry, this bot serves only its own organization. Please use your organization's Security info page.",
  'guard.personalOnly': 'I only work in a 1:1 chat, so that your phone details stay private. [Open a chat with me]({link})',
  'guard.personalOnlyNoLink': 'I only work in a 1:1 chat, so that your phone details stay private. Open a chat with me from the Apps list.',
  'access.notMember':
    'Sorry, this bot is not available for your account. If you need to register a phone for sign-in, please contact {contact}, or use the Security info page: {url}',
  'access.notMemberNoContact':
    'Sorry, this bot is not available for your account. If you need to register a phone for sign-in, please contact your helpdesk, or use the Security info page: {url}',
  'access.unavailable': 'Sorry, I cannot check right now whether this bot is available for your account. Please try again in a few minutes.',
  'guard.blocked': 'Phone verification is blocked for your account for now after too many failed attempts. Please contact the helpdesk.',
  'codeStep.sendingStatus': 'Sending a code to {number}… The card updates when it is on its way.',
  'codeStep.sentStatus': 'Code sent to {number}.',

  // Registration gate and step-up
  'gate.firstPhonePortal': 'Your organization asks you to register your first sign-in method on the Security info page: {url}',
  'gate.portal':
    'Your sign-in methods include ones this bot cannot check (for example the Microsoft Authenticator app), so please add or change phones on the Security info page: {url}',
  'stepUp.title': "First, confirm it's you",
  'stepUp.why': 'You already have a phone for sign-in. Before anything changes, prove you have one of your registered phones: we send it a code or call it.',
  'stepUp.label': 'Phone to check',
  'stepUp.required': 'Choose one of your registered phones.',
  'stepUp.unverifiable': 'This phone cannot be checked here. Choose another one, or use the Security info page.',

  // Change and remove
  'welcome.manage': 'Change or remove',
  'manage.title': 'Which phone do you want to change or remove?',
  'manage.label': 'Phone',
  'manage.required': 'Choose one of your phones.',
  'manage.change': 'Change number',
  'manage.remove': 'Remove',
  'manage.none': 'You have no phone registered to change or remove.',
  'remove.title': 'Remove {type} {number}?',
  'remove.explain': 'You will no longer be able to use it to sign in. You can add a phone again at any time.',
  'remove.confirm': 'Remove',
  'remove.keep': 'Keep it',
  'remove.doneTitle': 'Phone removed',
  'remove.doneText': '{type} {number} was removed from your Security info list.',
  'change.doneTitle': 'Your number is changed',
  'change.doneText': '{type} is now {number}.',

  // Tenant policy and the phone MFA retirement
  'policy.phoneOff':
    'Your organization does not allow phones for sign-in (text messages and calls are turned off). Please set up a passkey or the Microsoft Authenticator app on the Security info page: {url}',
  'notice.beforeRetirement':
    'From {date}, Microsoft stops delivering sign-in and password-reset codes by text message and voice call itself. After that, a phone works for these only if your organization has set up its own telecom provider through the Microsoft Security Store. Since 1 September 2026, Microsoft prompts people enabled for text or call sign-in to register a passkey.',
  'notice.afterRetirement':
    'Since {date}, Microsoft no longer delivers sign-in and password-reset codes by text message or voice call, and your organization has not set up its own telecom provider, so a phone would not work for sign-in. Please set up a passkey or the Microsoft Authenticator app on the Security info page instead: {url}',

  // Voice prompts of the verification call (never the code itself)
  'voice.askCode':
    'Hello. This is the phone verification call you requested in Microsoft Teams. Please enter the 6-digit code shown in Teams on your phone keypad now.',
  'voice.askCodeAgain': 'We did not receive the code. Please enter the 6-digit code shown in Teams on your phone keypad.',
  'voice.thanks': 'Thank you. Please return to Teams to continue. Goodbye.',
  'voice.goodbye': 'We could not receive the code. Please return to Teams to try again. Goodbye.',

  // Read-only summaries of answered cards
  'summary.answered': 'Answered',
  'summary.cancelled': 'Cancelled',

  // SMS text sent to the phone
  'sms.text': '{code} is your sign-in verification code for {org}. It expires in {minutes} minutes. Do not share this code with anyone.',
  'sms.org': 'your work account',

  // Guided mode (the Security info page, step by step)
  ...guidedEn,
} as const;

/** The key set every catalog must fill. */
export type MessageKey = keyof typeof en;
/** A complete catalog: a text for every key. */
export type Catalog = { readonly [K in MessageKey]: string };
