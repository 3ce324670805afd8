/**
 * Guided mode texts in English: the helpdesk guide's steps for the Security info page.
 * `guided.ui.*` are the names on Microsoft's page, exactly as the guide quotes them; the step texts
 * take them as parameters so a card's text and its "names you will see" list always agree.
 */
export const guidedEn = {
  // Names on the Security info page (Microsoft's UI)
  'guided.ui.securityInfo': 'Security info',
  'guided.ui.moreInfo': 'More information required',
  'guided.ui.next': 'Next',
  'guided.ui.differentMethod': 'I want to set up a different method',
  'guided.ui.phone': 'Phone',
  'guided.ui.confirm': 'Confirm',
  'guided.ui.addMethod': 'Add method',
  'guided.ui.officePhone': 'Office phone',
  'guided.ui.alternatePhone': 'Alternate phone',
  'guided.ui.receiveCode': 'Receive a code',
  'guided.ui.callMe': 'Call me',
  'guided.ui.enterCode': 'Enter code',

  // Card frame
  'guided.counter': 'Step {step} of {total}',
  'guided.counterPart': 'Step {step} of {total}, part {part} of {parts}',
  'guided.quote': '“{name}”',
  'guided.or': '{a} or {b}',
  'guided.factsHeading': 'Names you will see on the page',
  'guided.nextStep': 'Next step',
  'guided.close': 'Close',
  'guided.fact.screen': 'Screen',
  'guided.fact.page': 'Page',
  'guided.fact.button': 'Button',
  'guided.fact.link': 'Link',
  'guided.fact.select': 'Select',
  'guided.fact.option': 'Option',
  'guided.fact.optionCall': 'Or, to get a call',
  'guided.fact.field': 'Field',

  // Why the user is in guided mode
  'guided.reason.chosen': 'You chose to register your phone yourself. These cards follow the page step by step, with the exact names of the buttons.',
  'guided.reason.no_write_permission':
    'This bot has no permission to change sign-in methods in your organization, so please register your phone yourself on the Security info page. These cards guide you step by step.',
  'guided.reason.first_phone_policy':
    'Your organization asks you to register your first sign-in method on the Security info page itself, where its sign-in rules apply. These cards guide you step by step.',
  'guided.reason.unverifiable_methods':
    'The bot cannot verify the sign-in methods you already have (for example, only the Microsoft Authenticator app), so for your safety please add your phone yourself on the Security info page, where you sign in with your current method.',

  // Step 1: open the page
  'guided.intro.title': 'Register your phone on the Security info page',
  'guided.intro.body':
    '1. On your PC, open the Security info page with the "{openPortal}" button below, or go to {url}\n2. Sign in with your work account.\n\nYou can also use a smartphone, but some screens may differ from these cards.',
  'guided.intro.question': 'Have you registered any MFA information before?',
  'guided.intro.hint': 'Not sure? If the page says “{moreInfo}”, this is your first time. If it shows your {securityInfo} list, you have registered before.',
  'guided.intro.first': 'No, this is my first time',
  'guided.intro.registered': 'Yes, I have',

  // Step 2, first time ("More information required")
  'guided.a.moreInfo.title': 'The “{moreInfo}” screen',
  'guided.a.moreInfo.body': 'After you sign in, a screen titled “{moreInfo}” appears. Click “{next}”.',
  'guided.a.differentMethod.title': 'Set up a different method',
  'guided.a.differentMethod.body':
    'The next screen suggests another method (usually the Microsoft Authenticator app). To use your phone, click “{differentMethod}”.',
  'guided.a.choosePhone.title': 'Choose “{phone}”',
  'guided.a.choosePhone.body': 'When you are asked to choose a method, select “{phone}”, then click “{confirm}”.',

  // Step 2, already registered
  'guided.b.addMethod.title': 'The {securityInfo} page',
  'guided.b.addMethod.body': 'The {securityInfo} page lists the methods you already have. Click “{addMethod}”.',
  'guided.b.addMethod.note': 'Newer versions of the page call the button “Add sign-in method”.',
  'guided.b.category.title': 'Choose the kind of phone',
  'guided.b.category.body': 'From the drop-down list, select the category that matches your phone (see below).',
  'guided.b.category.note': 'An “{alternatePhone}” needs a “{phone}” first. An “{officePhone}” or “{alternatePhone}” is checked with a call.',
  'guided.b.category.mobile': 'Mobile or smartphone',
  'guided.b.category.work': 'Work landline',
  'guided.b.category.home': 'Home landline',

  // Step 3: country/region and number
  'guided.number.title': 'Country/region and phone number',
  'guided.number.body':
    '1. Select your country/region (for Japan: Japan (+81)).\n2. Enter your phone number. For an “{officePhone}”, enter a direct line: sign-in calls do not dial an extension.\n3. Choose “{receiveCode}”, then click “{next}”.',
  'guided.number.note':
    'If text messages (SMS) are not available, or you selected “{officePhone}” or “{alternatePhone}”, choose “{callMe}” and click “{next}”.',

  // Step 4: receive a code or a call
  'guided.verify.title': 'Prove that the phone is yours',
  'guided.verify.body':
    'If you chose “{receiveCode}”:\n1. A message says a verification code was sent by SMS.\n2. Check your mobile phone for the text message.\n3. Enter the code in the “{enterCode}” field and click “{next}”.',
  'guided.verify.note': 'If you chose “{callMe}”: you receive a call on the number you entered. Answer it and follow the voice instructions.',

  // Step 5: registered
  'guided.done.title': 'Check that your phone is registered',
  'guided.done.body': 'Your phone now appears in your {securityInfo} list. There you can also choose which method is your default for sign-in.',

  // Read-only summary when the guide is closed
  'guided.summary.title': 'Guide: register your phone on the Security info page',
  'guided.summary.step': 'Last step shown',
  'guided.summary.finished': 'Finished. You can open Security info at any time: {url}',
  'guided.summary.closed': 'Closed. You can open Security info at any time: {url}',
} as const;
